namespace Experiments.Core.Search;

/// <summary>One observed trial on the model's internal scale, with the key it is ranked by (smaller is better).</summary>
internal sealed record RankedObservation(int Number, double[] Point, double Step, double Loss, bool Pending);

/// <summary>
/// Orders observed trials as Optuna's TPE does: complete trials first by their metric; then pruned trials, those
/// that got further first, by their metric at the last epoch they reached; then pending trials (the constant lie:
/// worse than anything observed). Failed trials and trials outside the space are left out.
/// </summary>
internal static class ObservationRanking
{
    public static IReadOnlyList<RankedObservation> Rank(SearchSpace space, IReadOnlyList<ObservedTrial> history, TpeSettings settings)
    {
        // Minimising the loss: a maximised metric is negated.
        var sign = settings.Goal == SearchGoal.Minimize ? 1.0 : -1.0;
        var ranked = new List<RankedObservation>();
        foreach (var trial in history.OrderBy(t => t.Number))
        {
            (double Step, double Loss)? key = trial.State switch
            {
                ObservedState.Complete when trial.Value is { } v && !double.IsNaN(v) => (double.NegativeInfinity, sign * v),
                ObservedState.Pruned => PrunedKey(trial, sign),
                ObservedState.Pending when settings.ConstantLiar => (double.PositiveInfinity, double.PositiveInfinity),
                _ => null,
            };
            if (key is { } k && space.TryInternal(trial.Values, out var point))
            {
                ranked.Add(new RankedObservation(trial.Number, point, k.Step, k.Loss, trial.State == ObservedState.Pending));
            }
        }

        return ranked;
    }

    /// <summary>The best <paramref name="goodCount"/> (ties to the older trial) and the rest, each in trial order.</summary>
    public static (IReadOnlyList<double[]> Below, IReadOnlyList<double[]> Above) Split(IReadOnlyList<RankedObservation> ranked, int goodCount)
    {
        var best = ranked.Select((o, i) => (o, i)).OrderBy(x => x.o.Step).ThenBy(x => x.o.Loss).Take(goodCount).Select(x => x.i).ToHashSet();
        var below = ranked.Where((_, i) => best.Contains(i)).Select(o => o.Point).ToArray();
        var above = ranked.Where((_, i) => !best.Contains(i)).Select(o => o.Point).ToArray();
        return (below, above);
    }

    private static (double Step, double Loss) PrunedKey(ObservedTrial trial, double sign)
    {
        if (trial.Intermediate.Count == 0)
        {
            // Pruned before reporting anything: behind every pruned trial that reported.
            return (1, 0.0);
        }

        var last = trial.Intermediate.MaxBy(v => v.Step);
        return (-last.Step, double.IsNaN(last.Value) ? double.PositiveInfinity : sign * last.Value);
    }
}
