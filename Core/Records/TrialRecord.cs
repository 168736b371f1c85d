using Experiments.Core.Checkpoints;
using Experiments.Core.Specs;

namespace Experiments.Core.Records;

/// <summary>Everything the store holds about one trial.</summary>
public sealed record TrialRecord(
    string Id,
    string SweepId,
    int Index,
    TrainingConfig Config,
    IReadOnlyDictionary<string, string> Parameters,
    TrialStatus Status,
    int Attempt,
    int MaxAttempts,
    string? Owner,
    bool CancelRequested,
    int LastEpoch,
    string? TraceParent,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Reason,
    IReadOnlyList<AttemptRecord> Attempts,
    IReadOnlyList<EvaluationReport> Evaluations)
{
    /// <summary>Attempts the trial itself failed; it is parked once they reach <see cref="MaxAttempts"/>.</summary>
    public int Failures { get; init; }

    /// <summary>Attempts the infrastructure ended (worker lost, graceful stop, store unreachable), counted apart.</summary>
    public int Interruptions { get; init; }

    /// <summary>Why no worker has started this queued trial yet (e.g. no room for its checkpoints), or null.</summary>
    public string? Waiting { get; init; }

    /// <summary>Since when workers have been declining it for that reason.</summary>
    public DateTimeOffset? WaitingSince { get; init; }

    /// <summary>
    /// The first epoch at which the sweep's metric reached its <c>metric.target</c>, with the training time up to and
    /// including it (every recorded epoch's seconds, summed over attempts); null until then, and for a sweep without
    /// a target.
    /// </summary>
    public TargetReached? Target { get; init; }

    /// <summary>Where the running attempt stands inside its epoch (reported with its lease renewals), or null.</summary>
    public TrialProgress? Progress { get; init; }

    /// <summary>
    /// The files the fenced epoch record committed as this trial's <c>last</c> and <c>best</c>; the fixed names for a
    /// record from before per-attempt files. Readers (resume, downloads, exports) open only these.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrialCheckpoints Checkpoints { get; init; } = TrialCheckpoints.Fixed;
}

/// <summary>When a trial first reached its sweep's <c>metric.target</c>: the epoch and the training seconds up to it.</summary>
public sealed record TargetReached(int Epoch, double Seconds);

/// <summary>One attempt at a trial: who ran it and how it ended (Outcome null while it runs).</summary>
public sealed record AttemptRecord(
    int Attempt,
    string Worker,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Outcome,
    string? Reason);
