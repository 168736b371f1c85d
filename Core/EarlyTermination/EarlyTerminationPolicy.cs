namespace Experiments.Core.EarlyTermination;

/// <summary>
/// One sweep's early-termination settings resolved: which check each (trial, epoch) gets. Everything here follows
/// from the spec, the sweep id and the trial's index, never from other trials, so it is computed outside the store
/// and passed to the store-side decision as arguments.
/// </summary>
public sealed class EarlyTerminationPolicy
{
    /// <param name="sweepEpochs">The most epochs a trial of the sweep runs; <c>max_epochs</c> defaults to it.</param>
    public EarlyTerminationPolicy(string sweepId, EarlyTerminationSpec spec, int sweepEpochs, string metricName, MetricGoal goal)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        SweepId = sweepId;
        Spec = spec;
        MetricName = metricName;
        Goal = goal;
        Schedule = spec.Type == EarlyTerminationType.Median ? null : RungSchedule.For(spec, sweepEpochs);
    }

    public string SweepId { get; }

    public EarlyTerminationSpec Spec { get; }

    public string MetricName { get; }

    public MetricGoal Goal { get; }

    /// <summary>The rungs (asha, hyperband); null for median.</summary>
    public RungSchedule? Schedule { get; }

    /// <summary>The trial's Hyperband bracket (0 for asha and median).</summary>
    public int BracketOf(int trialIndex) =>
        Schedule is null ? 0 : BracketAssignment.BracketOf(SweepId, trialIndex, Schedule.BracketBudgets);

    /// <summary>The check for a report of epoch <paramref name="epoch"/> by a trial that runs <paramref name="lastEpoch"/> epochs.</summary>
    /// <remarks>The last epoch is never checked: stopping there saves nothing, and the trial completes.</remarks>
    public EpochCheck CheckFor(int trialIndex, int epoch, int lastEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        if (Schedule is null)
        {
            return epoch >= lastEpoch ? new EpochCheck(EpochCheckKind.Complete, epoch)
                : epoch <= Spec.WarmupEpochs ? new EpochCheck(EpochCheckKind.KeepValue, epoch)
                : new EpochCheck(EpochCheckKind.Median, epoch);
        }

        var bracket = BracketOf(trialIndex);
        return epoch < lastEpoch && Schedule.RungAt(bracket, epoch) is { } rung
            ? new EpochCheck(EpochCheckKind.Rung, epoch, bracket, rung)
            : new EpochCheck(EpochCheckKind.None, epoch, bracket);
    }

    /// <summary>The sweep's metric in one epoch's record: the value the rule ranks.</summary>
    public double ValueOf(Records.EpochMetrics epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return MetricName switch
        {
            "val_accuracy" => epoch.ValAccuracy,
            "val_loss" => epoch.ValLoss,
            "train_accuracy" => epoch.TrainAccuracy,
            "train_loss" => epoch.TrainLoss,
            _ => throw new InvalidOperationException($"{MetricName} is not recorded every epoch; no rule can use it."),
        };
    }

    public string Describe(EarlyTerminationDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Describe(Spec.Type, MetricName, Spec.ReductionFactor);
    }
}
