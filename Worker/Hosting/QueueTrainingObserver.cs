using System.Diagnostics;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Worker.Training;

namespace Experiments.Worker.Hosting;

/// <summary>Records each finished epoch in the store (fenced by the lease) and in the Worker's metrics.</summary>
internal sealed class QueueTrainingObserver(TrialQueue queue, TrialLease lease, LeaseKeeper keeper, WorkerMetrics metrics, ILogger logger)
    : ITrainingObserver
{
    public async Task<bool> EpochCompletedAsync(EpochMetrics epoch, CancellationToken cancellationToken)
    {
        var write = await queue.RecordEpochAsync(lease, epoch, cancellationToken);
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

        return true;
    }

    public void Progress(string message) => logger.TrainingProgress(lease.TrialId, message);
}
