namespace Experiments.Core.EarlyTermination;

/// <summary>
/// Where ASHA and Hyperband check trials. Bracket b has its rungs at epochs min_epochs * eta^(b + k), k = 0, 1, ...,
/// strictly before max_epochs (a check at or after the last epoch would stop nothing). ASHA is bracket 0 alone;
/// Hyperband has floor(log_eta(max/min)) + 1 brackets, the last of which stops nothing when max/min is a power of eta
/// (Hyperband's bracket s = 0). Integer arithmetic throughout, so no floating log decides a bracket count.
/// </summary>
public sealed class RungSchedule
{
    private readonly int[][] _rungEpochs;

    public RungSchedule(int minEpochs, int reductionFactor, int maxEpochs, bool hyperband)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxEpochs, minEpochs);
        MinEpochs = minEpochs;
        ReductionFactor = reductionFactor;
        MaxEpochs = maxEpochs;

        // Powers min * eta^j <= max: their count is floor(log_eta(max/min)) + 1.
        var powers = new List<int>();
        for (long epoch = minEpochs; epoch <= maxEpochs; epoch *= reductionFactor)
        {
            powers.Add((int)epoch);
        }

        BracketCount = hyperband ? powers.Count : 1;
        _rungEpochs = [.. Enumerable.Range(0, BracketCount).Select(b => powers.Skip(b).Where(e => e < maxEpochs).ToArray())];
        BracketBudgets = [.. Enumerable.Range(0, BracketCount).Select(Budget)];
    }

    public int MinEpochs { get; }

    public int ReductionFactor { get; }

    public int MaxEpochs { get; }

    /// <summary>1 for ASHA; Hyperband's s_max + 1.</summary>
    public int BracketCount { get; }

    /// <summary>
    /// Hyperband's trials per bracket, n_s = ceil((s_max + 1) * eta^s / (s + 1)) with s = s_max - b, as relative
    /// weights (a sweep's size is not known up front, so brackets get these shares of its trials). ASHA: [1].
    /// </summary>
    public IReadOnlyList<int> BracketBudgets { get; }

    public static RungSchedule For(EarlyTerminationSpec spec, int sweepEpochs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Type == EarlyTerminationType.Median)
        {
            throw new ArgumentException("Median stopping has no rungs.", nameof(spec));
        }

        return new RungSchedule(spec.MinEpochs, spec.ReductionFactor, spec.ResolveMaxEpochs(sweepEpochs), spec.Type == EarlyTerminationType.Hyperband);
    }

    /// <summary>The epochs at which bracket <paramref name="bracket"/> checks, rung 0 first.</summary>
    public IReadOnlyList<int> RungEpochs(int bracket) => _rungEpochs[bracket];

    /// <summary>The rung of <paramref name="bracket"/> at <paramref name="epoch"/>, or null when the epoch is not one.</summary>
    public int? RungAt(int bracket, int epoch)
    {
        var rung = Array.IndexOf(_rungEpochs[bracket], epoch);
        return rung >= 0 ? rung : null;
    }

    private int Budget(int bracket)
    {
        var s = BracketCount - 1 - bracket;
        var power = 1L;
        for (var i = 0; i < s; i++)
        {
            power *= ReductionFactor;
        }

        return (int)((BracketCount * power + s) / (s + 1));
    }
}
