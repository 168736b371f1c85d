using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>One trial with every epoch the store holds for it.</summary>
public sealed record TrialData(TrialRecord Record, IReadOnlyList<EpochMetrics> Epochs);

/// <summary>A sweep and all of its trials, as read at <paramref name="ReadAt"/>.</summary>
public sealed record SweepSnapshot(SweepRecord Sweep, IReadOnlyList<TrialData> Trials, DateTimeOffset ReadAt);

/// <summary>One trial in detail, as read at <paramref name="ReadAt"/>.</summary>
public sealed record TrialSnapshot(TrialData Trial, DateTimeOffset ReadAt);

/// <summary>The sweeps list, as read at <paramref name="ReadAt"/>.</summary>
public sealed record SweepsSnapshot(IReadOnlyList<SweepListItem> Sweeps, DateTimeOffset ReadAt);

/// <summary>One line of the sweeps list.</summary>
public sealed record SweepListItem(
    SweepSummary Summary,
    double? BestMetric,
    TimeSpan? Duration)
{
    public int Total => Summary.StatusCounts.Values.Sum();
    public int Count(TrialStatus status) => Summary.StatusCounts.GetValueOrDefault(status);
    public int Finished => Total - Count(TrialStatus.Queued) - Count(TrialStatus.Running);
}
