namespace Experiments.Core.Specs;

/// <summary>The cartesian product of every parameter's values, the first parameter varying slowest.</summary>
internal static class GridExpansion
{
    public static IEnumerable<object?[]> Expand(IReadOnlyList<ParameterSpec> parameters)
    {
        var choices = parameters.Select(p => p switch
        {
            FixedParameter f => [f.Value],
            ChoiceParameter c => c.Values,
            _ => throw new InvalidOperationException($"a grid cannot expand {p.Field.Name}: validation admits only value and values"),
        }).ToArray();

        var indices = new int[choices.Length];
        while (true)
        {
            yield return [.. choices.Select((values, i) => values[indices[i]])];

            // An odometer: bump the last digit, carrying leftwards; done when the first digit rolls over.
            var position = choices.Length - 1;
            while (position >= 0 && ++indices[position] == choices[position].Count)
            {
                indices[position--] = 0;
            }

            if (position < 0)
            {
                yield break;
            }
        }
    }
}
