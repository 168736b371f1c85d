using Experiments.Core.Specs;

namespace Experiments.Core.Search;

/// <summary>One parameter a model-based search chooses: a categorical choice or a numeric range.</summary>
/// <param name="Parameter">Its index in <see cref="SearchSpace.Parameters"/>.</param>
internal abstract record SearchDimension(int Parameter);

/// <summary><c>values: [...]</c> with two or more values; internally the index of a value.</summary>
internal sealed record CategoricalDimension(int Parameter, IReadOnlyList<object?> Choices) : SearchDimension(Parameter);

/// <summary>
/// A <see cref="RangeParameter"/>. Internally a log_uniform value is its logarithm (TPE models it on that scale);
/// an int_uniform value is itself, on a grid of <see cref="Step"/>.
/// </summary>
internal sealed record NumericDimension(int Parameter, RangeParameter Range) : SearchDimension(Parameter)
{
    public bool IsLog => Range.Distribution == Distribution.LogUniform;

    /// <summary>The grid spacing of an integer range; null for a continuous one.</summary>
    public double? Step => Range.Distribution == Distribution.IntUniform ? Range.Step : null;

    /// <summary>Smallest and largest value, on the internal scale.</summary>
    public double Min => IsLog ? Math.Log(Range.Min) : Range.Min;

    public double Max => IsLog ? Math.Log(Range.Max) : Step is null ? Range.Max : Range.TopOfGrid;

    /// <summary>The Parzen estimator's domain: integers own half a step either side, as in Optuna.</summary>
    public double Low => Step is { } q ? Min - (0.5 * q) : Min;

    public double High => Step is { } q ? Max + (0.5 * q) : Max;

    /// <summary>A sampled internal value snapped to the grid (integers) and kept in range, as Optuna does.</summary>
    public double Snap(double x) => Step is { } q ? Math.Clamp((Math.Round((x - Min) / q) * q) + Min, Min, Max) : x;
}

/// <summary>
/// A sweep's <c>parameters:</c> seen by a model-based search: every <see cref="ParameterSpec"/> (fixed ones keep their
/// value) and the <see cref="Dimensions"/> the model chooses, with the conversions between a trial's values and
/// the model's internal scale.
/// </summary>
internal sealed class SearchSpace
{
    private SearchSpace(IReadOnlyList<ParameterSpec> parameters, IReadOnlyList<SearchDimension> dimensions)
    {
        Parameters = parameters;
        Dimensions = dimensions;
    }

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The parameters that vary, in parameter order (a one-value list does not vary, as in Optuna).</summary>
    public IReadOnlyList<SearchDimension> Dimensions { get; }

    public static SearchSpace Of(IReadOnlyList<ParameterSpec> parameters)
    {
        var dimensions = new List<SearchDimension>();
        for (var i = 0; i < parameters.Count; i++)
        {
            switch (parameters[i])
            {
                case ChoiceParameter { Values.Count: > 1 } choice:
                    dimensions.Add(new CategoricalDimension(i, choice.Values));
                    break;
                case RangeParameter range:
                    dimensions.Add(new NumericDimension(i, range));
                    break;
            }
        }

        return new SearchSpace(parameters, dimensions);
    }

    /// <summary>
    /// A trial's values on the internal scale, one per dimension; false when a value lies outside the space (a
    /// trial from before the sweep's parameters changed), which the model then leaves out.
    /// </summary>
    public bool TryInternal(IReadOnlyList<object?> values, out double[] point)
    {
        point = new double[Dimensions.Count];
        if (values.Count != Parameters.Count)
        {
            return false;
        }

        for (var d = 0; d < Dimensions.Count; d++)
        {
            var value = values[Dimensions[d].Parameter];
            switch (Dimensions[d])
            {
                case CategoricalDimension c:
                    var index = IndexOf(c.Choices, value);
                    if (index < 0)
                    {
                        return false;
                    }

                    point[d] = index;
                    break;
                case NumericDimension n:
                    if (!TryNumber(value, out var number) || number < n.Range.Min || number > n.Range.Max || (n.IsLog && number <= 0))
                    {
                        return false;
                    }

                    point[d] = n.IsLog ? Math.Log(number) : number;
                    break;
            }
        }

        return true;
    }

    /// <summary>The values of every parameter for an internal point: fixed ones as given, chosen ones converted.</summary>
    public object?[] External(IReadOnlyList<double> point)
    {
        var values = Parameters.Select(p => ParameterSampling.At(p, 0)).ToArray();
        for (var d = 0; d < Dimensions.Count; d++)
        {
            values[Dimensions[d].Parameter] = Dimensions[d] switch
            {
                CategoricalDimension c => c.Choices[(int)point[d]],
                NumericDimension { Step: not null } n => (int)n.Snap(point[d]),
                NumericDimension { IsLog: true } n => ParameterSampling.Readable(Math.Exp(point[d]), n.Range),
                NumericDimension n => ParameterSampling.Readable(point[d], n.Range),
                _ => throw new InvalidOperationException("unknown dimension"),
            };
        }

        return values;
    }

    /// <summary>Whether two trials have the same values (numbers compared by value, whatever their boxed type).</summary>
    public static bool SameValues(IReadOnlyList<object?> a, IReadOnlyList<object?> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => SameValue(pair.First, pair.Second));

    private static int IndexOf(IReadOnlyList<object?> choices, object? value)
    {
        for (var i = 0; i < choices.Count; i++)
        {
            if (SameValue(choices[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool SameValue(object? a, object? b) =>
        Equals(a, b) || (TryNumber(a, out var x) && TryNumber(b, out var y) && x == y);

    private static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case int i:
                number = i;
                return true;
            case long l:
                number = l;
                return true;
            case double d:
                number = d;
                return true;
            default:
                number = 0;
                return false;
        }
    }
}
