using Experiments.Core.Checkpoints;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Checkpointing;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Whether this worker has room to start a trial: the real free space of the volume holding the checkpoint
/// folder must cover the trial's peak checkpoint need (less what it already has there, when it resumes) plus
/// <see cref="WorkerOptions.CheckpointSpaceMargin"/>. Other workers on a shared volume decide on their own, so
/// the margin also absorbs their trials' first checkpoints.
/// </summary>
public sealed class CheckpointSpace(CheckpointStore store, IOptions<WorkerOptions> options, WorkerMetrics metrics)
{
    /// <summary>Bytes this process may still write on the checkpoint volume (statvfs of the folder).</summary>
    public long FreeBytes()
    {
        Directory.CreateDirectory(store.Root);
        var free = new DriveInfo(store.Root).AvailableFreeSpace;
        metrics.CheckpointVolumeFreeObserved(free);
        return free;
    }

    /// <summary>Null when the trial fits; otherwise why it cannot start here now (shown on the trial).</summary>
    public string? Refusal(string trialId, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var policy = CheckpointPolicy.For(config.Checkpoint);
        var perFile = CheckpointSizeEstimate.BytesPerFile(config);
        var files = CheckpointSizeEstimate.FilesAtPeak(policy);
        var onDisk = CheckpointId.IsValid(trialId) ? store.List(trialId).Sum(f => f.Size) : 0;
        // A resumed trial already has its files; it still needs room for the one it writes next.
        var checkpoints = Math.Max(perFile, (files * perFile) - onDisk);
        var needed = checkpoints + options.Value.CheckpointSpaceMargin;
        long free;
        try
        {
            free = FreeBytes();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // A volume that cannot be measured is not refused: the trial's own writes will tell.
        }

        if (free >= needed)
        {
            return null;
        }

        return $"waiting: checkpoint volume has {ByteCount.Format(free)} free, needs {ByteCount.Format(needed)} " +
            $"({files} x {ByteCount.Format(perFile)} checkpoints{(onDisk > 0 ? $" less {ByteCount.Format(onDisk)} already written" : "")}, " +
            $"{ByteCount.Format(options.Value.CheckpointSpaceMargin)} kept free)";
    }
}
