using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Search;

/// <summary>
/// A sweep's trials as the model sees them (<see cref="ObservedTrial"/>): what TPE proposes from and importance is
/// computed over. Pure, so the store's proposer and the tests build the same history from the same records.
/// </summary>
internal static class SearchHistory
{
    /// <param name="epochs">Recorded epochs per trial id; a trial without an entry has none.</param>
    public static IReadOnlyList<ObservedTrial> Observe(
        SweepDefinition definition, IReadOnlyList<TrialRecord> trials, IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> epochs)
    {
        var metric = MetricDefinition.Find(definition.Metric.Name) ?? MetricDefinition.ValAccuracy;
        var maximize = definition.Metric.Goal != "minimize";
        var observed = new List<ObservedTrial>(trials.Count);
        foreach (var trial in trials)
        {
            var values = definition.Parameters.Select(p => p.Field.Get(trial.Config)).ToArray();
            var recorded = epochs.GetValueOrDefault(trial.Id) ?? [];
            var intermediate = recorded.Select(e => new IntermediateValue(e.Epoch, ValueAt(e, metric))).ToArray();
            observed.Add(trial.Status switch
            {
                TrialStatus.Queued or TrialStatus.Running => new ObservedTrial(trial.Index, ObservedState.Pending, values),
                TrialStatus.Completed when Score(trial, recorded, metric, maximize) is { } value =>
                    new ObservedTrial(trial.Index, ObservedState.Complete, values) { Value = value, Intermediate = intermediate },
                // Failed and cancelled trials say nothing about their region (a crash, a user's decision).
                TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Completed => new ObservedTrial(trial.Index, ObservedState.Failed, values),
                // Pruned by the sweep's early-termination rule, or diverged: stopped with what it recorded, ranked as
                // Optuna ranks a pruned trial (by the last epoch reached, then the metric there), so the model learns
                // from every epoch a pruned trial ran and where training goes wrong (a NaN ranks worst at its epoch).
                TrialStatus.Pruned or TrialStatus.Diverged => new ObservedTrial(trial.Index, ObservedState.Pruned, values) { Intermediate = intermediate },
                _ => new ObservedTrial(trial.Index, ObservedState.Failed, values),
            });
        }

        return observed;
    }

    /// <summary>
    /// A finished trial's score, as the Dashboard ranks it: the best value of the metric over its epochs (never just
    /// the last), or the headline test accuracy when the sweep optimises <c>test_accuracy</c>.
    /// </summary>
    public static double? Score(TrialRecord trial, IReadOnlyList<EpochMetrics> epochs, MetricDefinition metric, bool maximize)
    {
        if (metric == MetricDefinition.TestAccuracy)
        {
            var headline = trial.Evaluations.FirstOrDefault(e => e.Checkpoint.Contains("best", StringComparison.OrdinalIgnoreCase))
                ?? trial.Evaluations.LastOrDefault();
            return headline?.Accuracy;
        }

        double? best = null;
        foreach (var value in epochs.Select(e => ValueAt(e, metric)).Where(double.IsFinite))
        {
            if (best is null || (maximize ? value > best : value < best))
            {
                best = value;
            }
        }

        return best;
    }

    private static double ValueAt(EpochMetrics epoch, MetricDefinition metric) =>
        metric == MetricDefinition.ValLoss ? epoch.ValLoss
        : metric == MetricDefinition.TrainAccuracy ? epoch.TrainAccuracy
        : metric == MetricDefinition.TrainLoss ? epoch.TrainLoss
        : epoch.ValAccuracy;
}
