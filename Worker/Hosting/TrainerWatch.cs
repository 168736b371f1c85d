using System.Globalization;
using Experiments.Core.Records;
using Experiments.Worker.Training;

namespace Experiments.Worker.Hosting;

/// <summary>
/// The trainer as its lease keeper sees it: the latest training batch (sent to the store with the next renewal) and
/// how long the trainer has gone without finishing a batch (the hung-trainer watchdog). The training thread writes;
/// the keeper's thread reads. The watchdog is armed by the first sign of life after the data is loaded (the model is
/// ready), so a slow download is not taken for a hang.
/// </summary>
public sealed class TrainerWatch
{
    private readonly int _epochs;
    private readonly TimeProvider _time;
    private TrialProgress? _latest;
    private long _signs;

    // Read and written by the keeper's thread only.
    private TrialProgress? _sent;
    private long _seenSigns;
    private long _lastCheck;
    private TimeSpan _quiet;

    public TrainerWatch(int epochs, TimeSpan reportInterval, TimeSpan stallTimeout, TimeProvider time)
    {
        _epochs = epochs;
        ReportInterval = reportInterval;
        StallTimeout = stallTimeout;
        _time = time;
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>How often the keeper looks (and reports progress, with a renewal).</summary>
    public TimeSpan ReportInterval { get; }

    public TimeSpan StallTimeout { get; }

    /// <summary>The latest training batch, as the store keeps it; null before the first one.</summary>
    public TrialProgress? Latest => Volatile.Read(ref _latest);

    /// <summary>On the training thread after each training batch: must return at once.</summary>
    public void BatchCompleted(BatchProgress batch)
    {
        Volatile.Write(ref _latest, new TrialProgress(0, batch.Epoch, _epochs, batch.Batch, batch.BatchesPerEpoch, batch.Loss, batch.ImagesPerSecond, batch.Seconds));
        Interlocked.Increment(ref _signs);
    }

    /// <summary>On the training thread when other work moves on (model ready, an evaluation batch, a checkpoint).</summary>
    public void StillWorking() => Interlocked.Increment(ref _signs);

    /// <summary>The latest progress if it changed since the last call, else null (the keeper's thread only).</summary>
    public TrialProgress? TakeProgress()
    {
        var latest = Latest;
        if (ReferenceEquals(latest, _sent))
        {
            return null;
        }

        _sent = latest;
        return latest;
    }

    /// <summary>
    /// Called by the keeper once per look: the reason to stop the trainer as hung, or null. Only time the keeper
    /// itself saw pass counts, at most <paramref name="longestLook"/> per look: a process that was paused (SIGSTOP, a
    /// suspended VM) or starved of CPU does not blame the trial for the time it could not run.
    /// </summary>
    public string? Check(TimeSpan longestLook)
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastCheck, now);
        _lastCheck = now;
        var signs = Interlocked.Read(ref _signs);
        if (signs == 0)
        {
            return null;
        }

        if (signs != _seenSigns)
        {
            _seenSigns = signs;
            _quiet = TimeSpan.Zero;
            return null;
        }

        _quiet += elapsed < longestLook ? elapsed : longestLook;
        return _quiet >= StallTimeout ? StallReason() : null;
    }

    private string StallReason()
    {
        var where = Latest is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"last finished: epoch {last.Epoch}, batch {last.Batch} of {last.Batches}")
            : "none finished since the model was ready";
        return $"stalled: the trainer finished no batch for {Describe(StallTimeout)} ({where}); stopped by the watchdog (Worker:StallTimeout)";
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 && span.Milliseconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.##} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.##} s");
}
