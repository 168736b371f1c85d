namespace Experiments.Core.Specs;

/// <summary><c>trial_count</c> independent samples of every parameter, seeded by <c>sample_seed</c>.</summary>
internal static class RandomExpansion
{
    public static IEnumerable<object?[]> Expand(IReadOnlyList<ParameterSpec> parameters, int trialCount, ulong sampleSeed)
    {
        var random = new SplitMix64(sampleSeed);
        for (var trial = 0; trial < trialCount; trial++)
        {
            // Every parameter draws (even fixed ones) so adding a `value:` never reshuffles the others' samples.
            yield return [.. parameters.Select(p => ParameterSampling.At(p, random.NextDouble()))];
        }
    }
}
