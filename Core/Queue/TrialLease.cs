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
    string? TraceParent);

/// <summary>What a renewal found.</summary>
public enum LeaseState
{
    Held,
    CancelRequested,
    Lost,
}

/// <summary>What an epoch write did.</summary>
public enum EpochWrite
{
    Recorded,
    AlreadyRecorded,
    LeaseLost,
}

/// <summary>
/// What an epoch report did: the write, and the early-termination decision for the epoch (null when the sweep has no
/// rule or the lease was lost). A prune decision means: stop, evaluate, finish as <see cref="Records.TrialStatus.Pruned"/>.
/// </summary>
public sealed record EpochReport(EpochWrite Write, EarlyTermination.EarlyTerminationDecision? Decision);

/// <summary>A trial whose lease expired: requeued (Queued), parked (Failed) or ended (Cancelled) by the reaper.</summary>
public sealed record ReapedTrial(string TrialId, string SweepId, Records.TrialStatus Status, string? TraceParent);
