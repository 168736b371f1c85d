namespace Experiments.Core.EarlyTermination;

/// <summary>
/// Median stopping as Optuna's MedianPruner (interval 1, n_min_trials 1): at a checked epoch e, a trial stops when
/// its best value over epochs 1..e is strictly worse than the median of the values at epoch e of the trials that
/// completed (ran to their last epoch; pruned and running trials are not in the pool). No comparison until
/// <c>startup_trials</c> trials have completed, none during the first <c>warmup_epochs</c> epochs, and none when no
/// completed trial reached epoch e. The median of an even count is the midpoint as numpy's linear percentile
/// computes it (hi - (hi - lo) * 0.5), so the store's Lua, this code and Optuna agree to the last bit.
/// </summary>
public static class MedianRule
{
    /// <param name="best">The trial's best value over its epochs so far, this one included (finite).</param>
    /// <param name="completedTrials">How many trials of the sweep have completed.</param>
    /// <param name="completedValues">The completed trials' values at this epoch.</param>
    public static EarlyTerminationDecision Decide(
        EpochCheck check, MetricGoal goal, int startupTrials, double best, int completedTrials, IReadOnlyCollection<double> completedValues)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(completedValues);
        if (check.Kind != EpochCheckKind.Median)
        {
            throw new ArgumentException("Median stopping decides only at checked epochs.", nameof(check));
        }

        if (completedTrials < Math.Max(1, startupTrials))
        {
            return new(DecisionVerdict.Continue, DecisionBasis.Startup, check.Epoch, null, null, best, completedTrials, startupTrials, double.NaN);
        }

        if (completedValues.Count == 0)
        {
            return new(DecisionVerdict.Continue, DecisionBasis.NoPeers, check.Epoch, null, null, best, 0, startupTrials, double.NaN);
        }

        var median = Median(completedValues);
        var verdict = goal.IsBetter(median, best) ? DecisionVerdict.Prune : DecisionVerdict.Continue;
        return new(verdict, DecisionBasis.Median, check.Epoch, null, null, best, completedValues.Count, startupTrials, median);
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        if (n % 2 == 1)
        {
            return sorted[n / 2];
        }

        var (lo, hi) = (sorted[(n / 2) - 1], sorted[n / 2]);
        return hi - ((hi - lo) * 0.5);
    }
}
