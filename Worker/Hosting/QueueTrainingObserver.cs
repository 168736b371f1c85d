using System.Diagnostics;
using Experiments.Core.Checkpoints;
using Experiments.Core.EarlyTermination;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Worker.Training;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Records each finished epoch in the store (fenced by the lease) and in the Worker's metrics; with an early-termination
/// policy the store decides in the same script whether the trial goes on. Batches and other signs of life go to the
/// <see cref="TrainerWatch"/>, whose latest progress the lease keeper reports.
/// </summary>
internal sealed class QueueTrainingObserver(
    TrialQueue queue, TrialLease lease, LeaseKeeper keeper, TrainerWatch watch, EarlyTerminationPolicy? policy, WorkerMetrics metrics, ILogger logger)
    : ITrainingObserver
{
    private string? pruneReason;

    public string? PruneReason => Volatile.Read(ref pruneReason);

    public async Task<bool> EpochCompletedAsync(EpochMetrics epoch, TrialCheckpoints checkpoints, CancellationToken cancellationToken)
    {
        // An epoch a stalled store did not acknowledge is sent again (the script answers a replay as already recorded).
        var (write, decision) = await keeper.WriteWhileHeldAsync(
            () => queue.RecordEpochAsync(lease, epoch, policy, checkpoints, cancellationToken),
            (ex, delay) => logger.EpochWriteRetried(ex, lease.TrialId, epoch.Epoch, delay),
            cancellationToken);
        if (write == EpochWrite.LeaseLost)
        {
            keeper.MarkLost();
            Activity.Current?.AddEvent(new ActivityEvent("lease lost"));
            return false;
        }

        if (write == EpochWrite.SweepDeleted)
        {
            keeper.MarkSweepDeleted();
            Activity.Current?.AddEvent(new ActivityEvent("sweep deleted"));
            return false;
        }

        if (write == EpochWrite.Recorded)
        {
            metrics.EpochRecorded(epoch);
        }

        if (decision is { IsPrune: true } && policy is not null)
        {
            var reason = policy.Describe(decision);
            Activity.Current?.AddEvent(new ActivityEvent("pruned", tags: new ActivityTagsCollection { ["epoch"] = epoch.Epoch, ["reason"] = reason }));
            logger.TrialPruned(lease.TrialId, reason);
            Volatile.Write(ref pruneReason, reason);
        }

        return true;
    }

    public bool Hung => keeper.StallReason is not null;

    public void Progress(string message) => logger.TrainingProgress(lease.TrialId, message);

    public void BatchCompleted(BatchProgress progress) => watch.BatchCompleted(progress);

    public void StillWorking() => watch.StillWorking();
}
