using System.Collections.Concurrent;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Worker.Training;

namespace Experiments.Worker.Tests.Training;

/// <summary>
/// Records what a trainer reports; can stand in for a lost lease or a prune decision after a given epoch, or act after a batch.
/// </summary>
internal sealed class RecordingObserver(int? loseLeaseAfterEpoch = null, Action<BatchProgress>? onBatch = null, int? pruneAtEpoch = null) : ITrainingObserver
{
    public string? PruneReason { get; private set; }

    public List<EpochMetrics> Epochs { get; } = [];
    public ConcurrentQueue<string> Lines { get; } = new();
    public ConcurrentQueue<BatchProgress> Batches { get; } = new();

    /// <summary>The checkpoint files each report named, in order.</summary>
    public List<TrialCheckpoints> Checkpoints { get; } = [];

    public Task<bool> EpochCompletedAsync(EpochMetrics metrics, TrialCheckpoints checkpoints, CancellationToken cancellationToken)
    {
        Epochs.Add(metrics);
        Checkpoints.Add(checkpoints);
        if (metrics.Epoch == pruneAtEpoch)
            PruneReason = $"rung 0 (epoch {metrics.Epoch}): pruned by the test";
        return Task.FromResult(loseLeaseAfterEpoch is null || metrics.Epoch < loseLeaseAfterEpoch);
    }

    public void Progress(string message) => Lines.Enqueue(message);

    public void BatchCompleted(BatchProgress progress)
    {
        Batches.Enqueue(progress);
        onBatch?.Invoke(progress);
    }
}
