using Experiments.Core.Checkpoints;
using Experiments.Core.Specs;

namespace Experiments.Core.Queue;

/// <summary>A worker's claim on one attempt of one trial. Every write is fenced by (TrialId, Attempt, Owner).</summary>
/// <param name="LastRecordedEpoch">Highest epoch already recorded (0 if none): a resumed attempt continues after it.</param>
public sealed record TrialLease(
    string TrialId,
    string SweepId,
    int Attempt,
    string Owner,
    TrainingConfig Config,
    int LastRecordedEpoch,
    string? TraceParent)
{
    /// <summary>
    /// The checkpoint files the trial's record had committed when this attempt claimed it: what it resumes from
    /// (<see cref="TrialCheckpoints.Fixed"/> for a record from before per-attempt files).
    /// </summary>
    public TrialCheckpoints Checkpoints { get; init; } = TrialCheckpoints.Fixed;
}

/// <summary>What a renewal found.</summary>
public enum LeaseState
{
    Held,
    CancelRequested,
    Lost,

    /// <summary>The trial's sweep was deleted: stop, write nothing, remove the trial's files.</summary>
    SweepDeleted,
}

/// <summary>What an epoch write did.</summary>
public enum EpochWrite
{
    Recorded,
    AlreadyRecorded,
    LeaseLost,

    /// <summary>Refused: the trial's sweep was deleted.</summary>
    SweepDeleted,
}

/// <summary>
/// What an epoch report did: the write, and the early-termination decision for the epoch (null when the sweep has no
/// rule or the lease was lost). A prune decision means: stop, evaluate, finish as <see cref="Records.TrialStatus.Pruned"/>.
/// </summary>
public sealed record EpochReport(EpochWrite Write, EarlyTermination.EarlyTerminationDecision? Decision);

/// <summary>A trial whose lease expired: requeued (Queued), parked (Failed) or ended (Cancelled) by the reaper.</summary>
public sealed record ReapedTrial(string TrialId, string SweepId, Records.TrialStatus Status, string? TraceParent);

/// <summary>
/// Whether a worker can start a queued trial now: null to go ahead, or the reason it cannot (shown on the trial).
/// </summary>
public delegate ValueTask<string?> ClaimAdmission(string trialId, TrainingConfig config, CancellationToken cancellationToken);
