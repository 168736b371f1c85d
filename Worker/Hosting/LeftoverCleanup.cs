using Experiments.Core.Datasets;
using Experiments.Core.Checkpoints;
using Experiments.Core.Files;
using Experiments.Core.Queue;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Removes what crashes and deletions leave behind. At start: scratch files of writes cut short (partial
/// checkpoints, partial downloads and extractions) under the checkpoint and data roots, by a rule that is safe
/// while other workers write on a shared mount (<see cref="StrayScratchFiles"/>). Then every
/// <see cref="WorkerOptions.CleanupInterval"/>: finishes sweep deletions that were cut short, and removes the
/// checkpoint folders of deleted sweeps' trials that this worker's volume still holds (the Dashboard may not see
/// this machine's disk, and a worker may have written a last checkpoint after the Dashboard removed the folder).
/// </summary>
public sealed class LeftoverCleanup(
    SweepStore store,
    CheckpointStore checkpoints,
    IOptions<WorkerOptions> options,
    IOptions<DataOptions> dataOptions,
    TimeProvider time,
    ILogger<LeftoverCleanup> logger) : BackgroundService
{
    /// <summary>Data sets unpack a few folders deep (root/cifar10/cifar-10-batches-bin/...).</summary>
    private const int DataDepth = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path: a large data folder must not delay the worker.
        await Task.Yield();
        RemoveStrayScratch();
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        do
        {
            try
            {
                await RemoveDeletedSweepsLeftoversAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.CleanupFailed(ex, options.Value.CleanupInterval);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    /// <summary>Scratch files of dead writers under the checkpoint root (trial and import folders) and the data root.</summary>
    public void RemoveStrayScratch()
    {
        var stray = new StrayScratchFiles(options.Value.StrayFileAge, time);
        foreach (var (root, depth) in new[] { (checkpoints.Root, 1), (Path.GetFullPath(dataOptions.Value.Root), DataDepth) })
        {
            try
            {
                var removed = stray.RemoveUnder(root, depth);
                if (removed.Count > 0)
                {
                    logger.StrayScratchRemoved(removed.Count, root);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.CleanupFailed(ex, options.Value.CleanupInterval);
            }
        }
    }

    /// <summary>Finishes interrupted deletions, then removes the checkpoint folders of every deleted sweep's trials.</summary>
    public async Task RemoveDeletedSweepsLeftoversAsync(CancellationToken cancellationToken)
    {
        foreach (var finished in await store.FinishInterruptedDeletionsAsync(cancellationToken))
        {
            logger.InterruptedDeletionFinished(finished.SweepId);
        }

        var folders = checkpoints.TrialIds();
        if (folders.Count == 0)
        {
            return;
        }

        var removed = 0;
        foreach (var trialId in await store.FindTrialsOfDeletedSweepsAsync(folders, cancellationToken))
        {
            if (checkpoints.DeleteTrial(trialId))
            {
                removed++;
            }
        }

        if (removed > 0)
        {
            logger.DeletedSweepCheckpointsRemoved(removed);
        }
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
