using Experiments.Core.Records;

namespace Experiments.Worker.Hosting;

/// <summary>Source-generated log messages of the worker loop.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Worker {WorkerId} started on {Device}")]
    public static partial void WorkerStarted(this ILogger logger, string workerId, string device);

    [LoggerMessage(2, LogLevel.Information, "Claimed trial {TrialId} of sweep {SweepId}, attempt {Attempt}, resuming after epoch {LastEpoch}")]
    public static partial void TrialClaimed(this ILogger logger, string trialId, string sweepId, int attempt, int lastEpoch);

    [LoggerMessage(3, LogLevel.Information, "Trial {TrialId} attempt {Attempt} ended {Outcome}; trial is now {Status}")]
    public static partial void TrialFinished(this ILogger logger, string trialId, int attempt, OutcomeKind outcome, TrialStatus? status);

    [LoggerMessage(4, LogLevel.Warning, "Lost the lease on trial {TrialId} attempt {Attempt}; stopping without writing")]
    public static partial void LeaseLost(this ILogger logger, string trialId, int attempt);

    [LoggerMessage(5, LogLevel.Information, "Cancel requested for trial {TrialId}; stopping at the next batch")]
    public static partial void CancelRequested(this ILogger logger, string trialId);

    [LoggerMessage(6, LogLevel.Error, "Trial {TrialId} attempt {Attempt} failed")]
    public static partial void TrialFailed(this ILogger logger, Exception exception, string trialId, int attempt);

    [LoggerMessage(7, LogLevel.Information, "Requeued or parked {Count} trials whose lease expired")]
    public static partial void Reaped(this ILogger logger, int count);

    [LoggerMessage(8, LogLevel.Warning, "The store did not answer; retrying in {Delay}")]
    public static partial void StoreUnavailable(this ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(9, LogLevel.Warning, "Renewing the lease on trial {TrialId} failed; retrying")]
    public static partial void RenewFailed(this ILogger logger, Exception exception, string trialId);

    [LoggerMessage(10, LogLevel.Information, "Trial {TrialId}: {Message}")]
    public static partial void TrainingProgress(this ILogger logger, string trialId, string message);

    [LoggerMessage(11, LogLevel.Warning, "Not starting {Count} queued trial(s), first {TrialId}: {Reason}; looking again in {Delay}")]
    public static partial void NoRoomForTrials(this ILogger logger, int count, string trialId, string reason, TimeSpan delay);

    [LoggerMessage(12, LogLevel.Information, "The sweep of trial {TrialId} was deleted; stopped without writing and removed its checkpoints")]
    public static partial void SweepDeletedDuringTrial(this ILogger logger, string trialId);

    [LoggerMessage(13, LogLevel.Information, "Removed {Count} stray scratch file(s) under {Root}")]
    public static partial void StrayScratchRemoved(this ILogger logger, int count, string root);

    [LoggerMessage(14, LogLevel.Information, "Removed the checkpoints of {Count} trial(s) of deleted sweeps")]
    public static partial void DeletedSweepCheckpointsRemoved(this ILogger logger, int count);

    [LoggerMessage(15, LogLevel.Information, "Finished the interrupted deletion of sweep {SweepId}")]
    public static partial void InterruptedDeletionFinished(this ILogger logger, string sweepId);

    [LoggerMessage(16, LogLevel.Warning, "Cleaning up leftovers failed; trying again in {Delay}")]
    public static partial void CleanupFailed(this ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(17, LogLevel.Information, "Trial {TrialId} completed; removed the checkpoints its policy does not keep: {Names}")]
    public static partial void CheckpointsRetired(this ILogger logger, string trialId, string names);

    [LoggerMessage(18, LogLevel.Warning, "Recording the end of trial {TrialId} failed; retrying in {Delay} while the lease may still be held")]
    public static partial void FinishRetried(this ILogger logger, Exception exception, string trialId, TimeSpan delay);
    [LoggerMessage(23, LogLevel.Warning, "Recording epoch {Epoch} of trial {TrialId} failed; retrying in {Delay} while the lease may still be held")]
    public static partial void EpochWriteRetried(this ILogger logger, Exception exception, string trialId, int epoch, TimeSpan delay);

    [LoggerMessage(19, LogLevel.Information, "Trial {TrialId} pruned by early termination: {Reason}; evaluating what it has")]
    public static partial void TrialPruned(this ILogger logger, string trialId, string reason);

    [LoggerMessage(20, LogLevel.Error, "Trial {TrialId} attempt {Attempt} {Reason}; no longer renewing its lease")]
    public static partial void TrainerStalled(this ILogger logger, string trialId, int attempt, string reason);

    [LoggerMessage(21, LogLevel.Warning, "The hung trainer of trial {TrialId} attempt {Attempt} was left behind (its thread cannot be stopped); the worker goes on with other trials")]
    public static partial void TrainerAbandoned(this ILogger logger, string trialId, int attempt);

    [LoggerMessage(22, LogLevel.Information, "The abandoned trainer of trial {TrialId} attempt {Attempt} has ended")]
    public static partial void AbandonedTrainerEnded(this ILogger logger, string trialId, int attempt);

    [LoggerMessage(24, LogLevel.Warning, "The hung trainer of trial {TrialId} attempt {Attempt} was stopped (its process killed); the worker goes on with other trials")]
    public static partial void HungTrainerStopped(this ILogger logger, string trialId, int attempt);

    [LoggerMessage(40, LogLevel.Information, "Trial {TrialId} attempt {Attempt} lost its lease; removed the checkpoint files it wrote that no commit names: {Names}")]
    public static partial void UncommittedCheckpointsRemoved(this ILogger logger, string trialId, int attempt, string names);
}
