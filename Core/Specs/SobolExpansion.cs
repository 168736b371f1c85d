namespace Experiments.Core.Specs;

/// <summary>
/// <c>trial_count</c> points of a Sobol sequence, one dimension per varied parameter, digitally shifted by
/// a per-dimension random word drawn from <c>sample_seed</c> so different seeds give different, equally
/// well-spread designs.
/// </summary>
internal static class SobolExpansion
{
    public static IEnumerable<object?[]> Expand(IReadOnlyList<ParameterSpec> parameters, int trialCount, ulong sampleSeed)
    {
        var varied = parameters.Select((p, i) => (p, i)).Where(x => x.p.Varies).Select(x => x.i).ToArray();
        var sequence = new SobolSequence(varied.Length);
        var random = new SplitMix64(sampleSeed);
        var shifts = varied.Select(_ => (uint)(random.Next() >> 32)).ToArray();

        for (var trial = 0u; trial < trialCount; trial++)
        {
            var point = sequence.PointBits(trial);
            var values = parameters.Select(p => ParameterSampling.At(p, 0)).ToArray();
            for (var d = 0; d < varied.Length; d++)
            {
                values[varied[d]] = ParameterSampling.At(parameters[varied[d]], SobolSequence.ToUnit(point[d] ^ shifts[d]));
            }

            yield return values;
        }
    }
}
