namespace Experiments.Core.EarlyTermination;

/// <summary>
/// ASHA's promotion test at one rung (Li et al., "A System for Massively Parallel Hyperparameter Tuning", 2020), in
/// its stopping form: a trial reaching a rung is ranked at once among every result recorded at that rung so far,
/// its own included, and nobody waits for the rung to fill.
/// <list type="bullet">
/// <item>n results at the rung (this one included); kept = max(1, floor(n / eta)) may continue.</item>
/// <item>The trial continues when fewer than <c>kept</c> results are strictly better than its own: a tie with the
/// cut value continues, so ties can let more than <c>kept</c> through, never fewer.</item>
/// <item>n &lt; eta: floor would keep nobody; the best so far (ties included) continues, so the first trial at a
/// rung always does.</item>
/// </list>
/// This is exactly Optuna's SuccessiveHalvingPruner test (<c>promotable_idx = n // eta - 1</c>, raised to 0) with
/// bootstrap_count 0. Pure: the same results give the same decision.
/// </summary>
public static class AshaRule
{
    /// <param name="check">The rung being checked (<see cref="EpochCheckKind.Rung"/>).</param>
    /// <param name="value">The trial's value at the rung (finite).</param>
    /// <param name="results">Every result recorded at the rung, this trial's <paramref name="value"/> included.</param>
    public static EarlyTerminationDecision Decide(EpochCheck check, MetricGoal goal, int reductionFactor, double value, IReadOnlyCollection<double> results)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(results);
        if (check.Kind != EpochCheckKind.Rung)
        {
            throw new ArgumentException("ASHA decides only at rungs.", nameof(check));
        }

        var n = results.Count;
        if (n == 0)
        {
            throw new ArgumentException("The results at the rung include the trial's own.", nameof(results));
        }

        var kept = Math.Max(1, n / reductionFactor);
        var better = results.Count(r => goal.IsBetter(r, value));
        var ranked = goal == MetricGoal.Maximize ? results.OrderByDescending(r => r) : results.OrderBy(r => r);
        var cut = ranked.ElementAt(kept - 1);
        var verdict = better < kept ? DecisionVerdict.Continue : DecisionVerdict.Prune;
        return new EarlyTerminationDecision(verdict, DecisionBasis.Rung, check.Epoch, check.Bracket, check.Rung, value, n, kept, cut);
    }
}
