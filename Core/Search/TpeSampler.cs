using Experiments.Core.Specs;

namespace Experiments.Core.Search;

/// <summary>
/// The Tree-structured Parzen Estimator as Optuna 3.1's <c>TPESampler</c> (multivariate, constant liar) does it:
/// rank the observed trials, split off the best gamma(n) as "good", fit a Parzen estimator to each side, draw
/// candidates from the good one and keep the one with the largest l(x)/g(x). By default the joint kernel is
/// narrower than Optuna's (<see cref="TpeSettings.BandwidthMagnitude"/>); <see cref="TpeSettings.Optuna31"/> is Optuna's.
/// <para>
/// <see cref="Propose"/> is a pure function: the same space, history (in any order), sample seed, trial number
/// and settings give the same proposal, bit for bit. See Core/Search/README.md for how the store builds on that.
/// </para>
/// </summary>
internal static class TpeSampler
{
    // Separates the model's random stream from the startup samples' (which are method: random's own stream).
    private const ulong ModelStreamSalt = 0x7470655F6D6F6465UL;

    public static SearchProposal Propose(SearchSpace space, IReadOnlyList<ObservedTrial> history, ulong sampleSeed, int trialNumber, TpeSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trialNumber);
        var ranked = ObservationRanking.Rank(space, history, settings);
        var finished = ranked.Count(o => !o.Pending);
        if (finished < settings.StartupTrials || space.Dimensions.Count == 0)
        {
            return new SearchProposal(StartupSample(space, sampleSeed, trialNumber), ProposalSource.Startup);
        }

        var (below, above) = ObservationRanking.Split(ranked, Gamma(finished));
        var random = new SplitMix64(SplitMix64.After(sampleSeed ^ ModelStreamSalt, (ulong)trialNumber).Next());
        var point = settings.Multivariate
            ? Choose(space, space.Dimensions, below, above, history, random, settings)
            : ChooseEachAlone(space, below, above, history, random, settings);
        return new SearchProposal(space.External(point), ProposalSource.Model);
    }

    /// <summary>The trial-th sample of <c>method: random</c> with this seed (every parameter draws, as there).</summary>
    public static object?[] StartupSample(SearchSpace space, ulong sampleSeed, int trialNumber)
    {
        var parameters = space.Parameters;
        var random = SplitMix64.After(sampleSeed, (ulong)trialNumber * (ulong)parameters.Count);
        return [.. parameters.Select(p => ParameterSampling.At(p, random.NextDouble()))];
    }

    /// <summary>Optuna's default gamma: the best 10% of the finished trials (rounded up), at most 25, are "good".</summary>
    public static int Gamma(int finished) => Math.Min((int)Math.Ceiling(0.1 * finished), 25);

    private static double[] Choose(
        SearchSpace space, IReadOnlyList<SearchDimension> dimensions, IReadOnlyList<double[]> below, IReadOnlyList<double[]> above,
        IReadOnlyList<ObservedTrial> history, SplitMix64 random, TpeSettings settings)
    {
        var good = new ParzenEstimator(dimensions, below, settings);
        var rest = new ParzenEstimator(dimensions, above, settings);
        var candidates = good.Sample(random, settings.EiCandidates);
        var logGood = good.LogPdf(candidates);
        var logRest = rest.LogPdf(candidates);

        // Best ratio first; a stable order keeps the first of equal scores, as numpy's argmax does.
        var order = Enumerable.Range(0, candidates.Length).OrderByDescending(i => logGood[i] - logRest[i]).ToArray();
        if (settings.AvoidRepeats && dimensions.Count == space.Dimensions.Count)
        {
            foreach (var i in order)
            {
                var values = space.External(candidates[i]);
                if (!history.Any(t => SearchSpace.SameValues(t.Values, values)))
                {
                    return candidates[i];
                }
            }
        }

        return candidates[order[0]];
    }

    // Optuna's independent TPE: one estimator per dimension, each choosing alone, one stream for all.
    private static double[] ChooseEachAlone(
        SearchSpace space, IReadOnlyList<double[]> below, IReadOnlyList<double[]> above, IReadOnlyList<ObservedTrial> history, SplitMix64 random, TpeSettings settings)
    {
        var point = new double[space.Dimensions.Count];
        for (var d = 0; d < point.Length; d++)
        {
            var one = new[] { space.Dimensions[d] };
            point[d] = Choose(space, one, [.. below.Select(p => new[] { p[d] })], [.. above.Select(p => new[] { p[d] })], history, random, settings)[0];
        }

        return point;
    }
}
