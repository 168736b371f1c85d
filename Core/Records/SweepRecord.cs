using Experiments.Core.Specs;

namespace Experiments.Core.Records;

/// <summary>A submitted sweep, with its trial ids in expansion order (for tpe: the trials created so far).</summary>
public sealed record SweepRecord(
    string Id,
    string Name,
    string Method,
    SweepMetric Metric,
    string SourceText,
    DateTimeOffset CreatedAt,
    string? TraceParent,
    IReadOnlyList<string> TrialIds)
{
    /// <summary>tpe only: the whole budget (<see cref="TrialIds"/> grows towards it as trials are proposed).</summary>
    public SearchBudget? Search { get; init; }

    /// <summary>The sweep's early-termination rule (max_epochs resolved); null when every trial runs to its end.</summary>
    public EarlyTermination.EarlyTerminationSpec? EarlyTermination { get; init; }
}

/// <summary>A sweep with its trials' status counts, for lists.</summary>
public sealed record SweepSummary(SweepRecord Sweep, IReadOnlyDictionary<TrialStatus, int> StatusCounts)
{
    /// <summary>The latest in-epoch progress of each running trial that has reported one, in no particular order.</summary>
    public IReadOnlyList<TrialProgress> Running { get; init; } = [];
}

/// <summary>What a successful submit returns.</summary>
public sealed record SubmittedSweep(string SweepId, IReadOnlyList<string> TrialIds);
