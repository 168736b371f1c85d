using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>One trial with every epoch the store holds for it.</summary>
public sealed record TrialData(TrialRecord Record, IReadOnlyList<EpochMetrics> Epochs);

/// <summary>A sweep and all of its trials, as read at <paramref name="ReadAt"/>.</summary>
public sealed record SweepSnapshot(SweepRecord Sweep, IReadOnlyList<TrialData> Trials, DateTimeOffset ReadAt);

/// <summary>One trial in detail, as read at <paramref name="ReadAt"/>.</summary>
public sealed record TrialSnapshot(TrialData Trial, DateTimeOffset ReadAt);

/// <summary>Every sweep (newest first) as summaries, as read at <paramref name="ReadAt"/>.</summary>
public sealed record SweepsSnapshot(IReadOnlyList<SweepListItem> Sweeps, DateTimeOffset ReadAt);

/// <summary>One line of the sweeps list; best metric and duration are filled in for the lines a page shows.</summary>
public sealed record SweepListItem(
    SweepSummary Summary,
    double? BestMetric,
    TimeSpan? Duration)
{
    public int Total => Summary.StatusCounts.Values.Sum();
    public int Count(TrialStatus status) => Summary.StatusCounts.GetValueOrDefault(status);
    public int Finished => Total - Count(TrialStatus.Queued) - Count(TrialStatus.Running);
    /// <summary>
    /// A trial is queued or running, or a tpe sweep has budget left that workers will propose (unless it was
    /// cancelled): between two proposals, or with no worker up, nothing of it is queued yet it is not done.
    /// </summary>
    public bool Active =>
        Count(TrialStatus.Queued) + Count(TrialStatus.Running) > 0
        || (Summary.Sweep.Search is { } search && Summary.Sweep.TrialIds.Count < search.TrialCount && Count(TrialStatus.Cancelled) == 0);

    /// <summary>Share of the sweep's training done (counting running trials' batches) and the time left, while active.</summary>
    public SweepProgress Progress => SweepProgress.Of(Summary);

    /// <summary>Active (see <see cref="Active"/>); then failed if any failed, cancelled if any was, else completed.</summary>
    public SweepState State =>
        Active ? SweepState.Active
        : Count(TrialStatus.Failed) > 0 ? SweepState.Failed
        : Count(TrialStatus.Cancelled) > 0 ? SweepState.Cancelled
        : SweepState.Completed;
}

/// <summary>A sweep's state as the Sweeps page filters on it.</summary>
public enum SweepState
{
    Active,
    Completed,
    Failed,
    Cancelled,
}
