using System.Diagnostics;
using Experiments.Core;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Worker.Hosting.TrialProcess;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Checkpointing;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Runs one claimed attempt: trial span under the submit's trace, lease renewal, training, fenced finish, then
/// what the trial keeps on disk (<see cref="CheckpointRetention"/>; nothing when its sweep was deleted). How the
/// attempt ended decides whose budget it spends: the trial's own failures count against Store:MaxAttempts, the
/// infrastructure's interruptions (graceful stop, store unreachable) against Store:MaxInterruptions. A trainer the
/// watchdog finds hung (no batch for Worker:StallTimeout) is the trial's failure: the same config on a healthy worker
/// hangs again more often than not, and a machine that stops everything (a paused process) is not counted as a stall.
/// </summary>
public sealed class TrialExecution(
    TrialQueue queue,
    SweepStore sweeps,
    CheckpointStore checkpoints,
    ITrialTrainer trainer,
    WorkerMetrics metrics,
    StoreOptions storeOptions,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider time,
    ILogger<TrialExecution> logger)
{
    public async Task RunAsync(TrialLease lease, string device, CancellationToken stoppingToken)
    {
        // The trial continues the trace of the request that submitted it, across the queue and across machines.
        ActivityContext.TryParse(lease.TraceParent, null, out var parent);
        using var activity = WorkerTelemetry.ActivitySource.StartActivity($"trial {lease.TrialId}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag(TelemetryTags.SweepId, lease.SweepId);
        activity?.SetTag(TelemetryTags.TrialId, lease.TrialId);
        activity?.SetTag(TelemetryTags.TrialAttempt, lease.Attempt);
        activity?.AddEvent(new ActivityEvent("claimed", tags: new ActivityTagsCollection
        {
            ["owner"] = lease.Owner,
            ["attempt"] = lease.Attempt,
            ["resume_after_epoch"] = lease.LastRecordedEpoch,
        }));
        logger.TrialClaimed(lease.TrialId, lease.SweepId, lease.Attempt, lease.LastRecordedEpoch);
        metrics.TrialStarted(device);

        // Read before the lease keeper starts: if the store cannot answer, the claim expires and is reaped like any other.
        // Not cancelled by a stop: a stop arriving with the claim must still reach the finish below, which hands it back.
        var policy = await queue.GetEarlyTerminationAsync(lease.SweepId, lease.Config, CancellationToken.None);
        var initFrom = await InitFromCommittedAsync(lease.Config.InitFrom, CancellationToken.None);
        var settings = workerOptions.Value;
        var watch = new TrainerWatch(lease.Config.Epochs, settings.ProgressInterval, settings.StallTimeout, time);
        var keeper = LeaseKeeper.Start(queue, lease, storeOptions.LeaseDuration, logger, time, stoppingToken, watch);
        TrialOutcome outcome;
        await using (keeper)
        {
            var observer = new QueueTrainingObserver(queue, lease, keeper, watch, policy, metrics, logger);
            // Files of its own, committed by its fenced epoch reports: if this attempt outlives its lease (paused, wedged),
            // nothing it writes afterwards is what the next attempt resumes from or what the Dashboard serves.
            var run = new TrialRun(lease.TrialId, lease.Attempt, lease.Config, device)
            {
                Committed = lease.Checkpoints,
                PerAttemptFiles = true,
                InitFromCommitted = initFrom,
            };
            try
            {
                // The trainer runs torch on a thread of its own and the keeper renews on another: neither waits for the pool.
                var training = trainer.TrainAsync(run, observer, keeper.Token);
                // A trainer wedged inside a batch never returns by itself: once the watchdog fires (and cancels its token),
                // a trainer process is killed; one in this process cannot be, and the attempt ends without it.
                if (await Task.WhenAny(training, keeper.Stalled) != training)
                {
                    await StopHungTrainerAsync(training, lease);
                    activity?.AddEvent(new ActivityEvent("stalled"));
                    var stall = await keeper.Stalled;
                    // A cancel asked for before the hang was noticed still ends the trial as the user wanted.
                    outcome = keeper.State == LeaseState.CancelRequested ? TrialOutcome.Cancelled("cancelled by request") : TrialOutcome.Failed(stall);
                }
                else
                {
                    outcome = await training;
                }
            }
            catch (OperationCanceledException) when (keeper.StallReason is { } stall)
            {
                outcome = TrialOutcome.Failed(stall);
            }
            catch (OperationCanceledException) when (keeper.State == LeaseState.CancelRequested)
            {
                outcome = TrialOutcome.Cancelled("cancelled by request");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && keeper.State == LeaseState.Held)
            {
                // A graceful stop (or a preemption's SIGTERM) hands the trial back at once, without spending an attempt.
                outcome = TrialOutcome.Interrupted("worker stopped during the attempt");
            }
            catch (OperationCanceledException) when (keeper.State is LeaseState.Lost or LeaseState.SweepDeleted)
            {
                outcome = TrialOutcome.Failed("lease lost");
            }
            catch (Exception ex) when (StoreFaults.IsUnreachable(ex))
            {
                logger.TrialFailed(ex, lease.TrialId, lease.Attempt);
                outcome = TrialOutcome.Interrupted("store unreachable: " + FailureReason.Of(ex));
            }
            catch (Exception ex)
            {
                logger.TrialFailed(ex, lease.TrialId, lease.Attempt);
                activity?.AddException(ex);
                // The log keeps the full text; the stored reason, shown to API callers and pages, loses server paths.
                outcome = TrialOutcome.Failed(ex is TrainerFaultedException faulted ? faulted.Reason : FailureReason.Of(ex));
            }
        }

        if (keeper.State == LeaseState.SweepDeleted)
        {
            RemoveCheckpointsOfDeletedSweep(lease, activity);
            return;
        }

        if (keeper.State == LeaseState.Lost)
        {
            // Another worker may own the trial now: a zombie writes nothing, and takes back the files it wrote that no
            // commit names (they would only take space; the next attempt reads only committed ones).
            activity?.AddEvent(new ActivityEvent("lease lost"));
            activity?.SetStatus(ActivityStatusCode.Error, "lease lost");
            metrics.TrialFinished("lost");
            await RemoveUncommittedFilesAsync(lease);
            return;
        }

        // Finish survives a store blip while the lease may be ours; past it the reaper requeues the trial as an interruption.
        var status = await keeper.WriteWhileHeldAsync(
            () => queue.FinishAsync(lease, outcome, CancellationToken.None), (ex, delay) => logger.FinishRetried(ex, lease.TrialId, delay), CancellationToken.None);
        if (status is null && (await sweeps.FindDeletedAsync([lease.SweepId], CancellationToken.None)).Count > 0)
        {
            // Deleted between the last renewal and the finish.
            RemoveCheckpointsOfDeletedSweep(lease, activity);
            return;
        }

        if (status == TrialStatus.Queued)
        {
            activity?.AddEvent(new ActivityEvent("requeued", tags: new ActivityTagsCollection { ["reason"] = outcome.Reason }));
        }

        if (status is TrialStatus.Completed or TrialStatus.Pruned)
        {
            // Only now: had the worker died before the completion was recorded, the retry would need `last`.
            // A pruned trial keeps what its policy keeps, exactly as a completed one.
            await RetireCheckpointsAsync(lease);
        }

        activity?.SetTag(TelemetryTags.TrialOutcome, outcome.Kind.ToString().ToLowerInvariant());
        if (outcome.Kind is OutcomeKind.Failed or OutcomeKind.Diverged)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Reason);
        }

        logger.TrialFinished(lease.TrialId, lease.Attempt, outcome.Kind, status);
        metrics.TrialFinished(outcome.Kind.ToString().ToLowerInvariant());
    }

    /// <summary>
    /// A trainer process (Worker:TrialProcess child) is killed once it has not stopped within its grace: waiting for
    /// that leaves nothing running and nothing written late. A hung trainer's thread in this process cannot be stopped
    /// from outside: it is left to end if it ever wakes (its token is cancelled, so it stops before its next batch, and
    /// every store write it tries is fenced; a checkpoint write it was wedged in lands under this attempt's own file
    /// names, which no commit names: nobody reads it, and the next commit or the retention at the end removes it).
    /// </summary>
    private async Task StopHungTrainerAsync(Task<TrialOutcome> training, TrialLease lease)
    {
        if (trainer.StopsWithin is { } bound)
        {
            try
            {
                await training.WaitAsync(bound);
            }
            catch (TimeoutException)
            {
                LeaveBehind(training, lease);
                return;
            }
            catch (Exception)
            {
                // Ended as expected: cancelled, or killed.
            }

            logger.HungTrainerStopped(lease.TrialId, lease.Attempt);
            return;
        }

        LeaveBehind(training, lease);
    }

    private void LeaveBehind(Task<TrialOutcome> training, TrialLease lease)
    {
        logger.TrainerAbandoned(lease.TrialId, lease.Attempt);
        _ = training.ContinueWith(
            ended =>
            {
                _ = ended.Exception; // observed: a late cancellation is expected, not an unobserved fault
                logger.AbandonedTrainerEnded(lease.TrialId, lease.Attempt);
            },
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private async Task RetireCheckpointsAsync(TrialLease lease)
    {
        try
        {
            // What the record committed is what the trial keeps; anything else (older attempts', a zombie's) goes now.
            var record = await sweeps.GetTrialAsync(lease.TrialId, CancellationToken.None);
            if (record is null)
            {
                return;
            }

            var removed = CheckpointRetention.AfterCompletion(checkpoints, lease.TrialId, CheckpointPolicy.For(lease.Config.Checkpoint), record.Checkpoints);
            if (removed.Count > 0)
            {
                logger.CheckpointsRetired(lease.TrialId, string.Join(", ", removed));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException || StoreFaults.IsUnreachable(ex))
        {
            // Retention is housekeeping: what stays is only space, and every reader goes by the record.
            logger.TrialFailed(ex, lease.TrialId, lease.Attempt);
        }
    }

    private async Task RemoveUncommittedFilesAsync(TrialLease lease)
    {
        try
        {
            // Read after the loss: every report of this attempt has been answered, so the record's names are final for it.
            if (await sweeps.GetTrialAsync(lease.TrialId, CancellationToken.None) is { } record)
            {
                var removed = AttemptCheckpointFiles.RemoveUncommitted(checkpoints, lease.TrialId, lease.Attempt, record.Checkpoints);
                if (removed.Count > 0)
                {
                    logger.UncommittedCheckpointsRemoved(lease.TrialId, lease.Attempt, string.Join(", ", removed));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException || StoreFaults.IsUnreachable(ex))
        {
            // Left for the next attempt's commit or the retention at completion.
            logger.TrialFailed(ex, lease.TrialId, lease.Attempt);
        }
    }

    /// <summary>
    /// The files trial <paramref name="initFrom"/>'s record commits, when <c>init_from</c> names a trial of a sweep;
    /// else the fixed names (an import or a local <c>train --id</c> run).
    /// </summary>
    private async Task<TrialCheckpoints> InitFromCommittedAsync(string? initFrom, CancellationToken cancellationToken)
    {
        if (initFrom is null || !StoreIds.TryGetSweepId(initFrom, out _))
        {
            return TrialCheckpoints.Fixed;
        }

        return (await sweeps.GetTrialAsync(initFrom, cancellationToken))?.Checkpoints ?? TrialCheckpoints.Fixed;
    }

    private void RemoveCheckpointsOfDeletedSweep(TrialLease lease, Activity? activity)
    {
        activity?.AddEvent(new ActivityEvent("sweep deleted"));
        // The trainer has stopped, so nothing writes here any more; what a failed removal leaves, the cleanup takes.
        checkpoints.DeleteTrial(lease.TrialId);
        logger.SweepDeletedDuringTrial(lease.TrialId);
        metrics.TrialFinished("deleted");
    }
}
