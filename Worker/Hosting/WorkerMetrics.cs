using System.Diagnostics.Metrics;
using Experiments.Core;
using Experiments.Core.Records;

namespace Experiments.Worker.Hosting;

/// <summary>
/// The Worker's instruments. Every instrument has a fixed, small set of series: trial and sweep ids are never metric
/// tags, because each id would open a series that lives as long as the process (a worker runs thousands of trials).
/// A trial's own curve is in the store and on its epoch spans (<see cref="TelemetryTags"/>).
/// </summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> _trialsStarted;
    private readonly Counter<long> _trialsFinished;
    private readonly UpDownCounter<long> _runningTrials;
    private readonly Histogram<double> _epochDuration;
    private readonly Gauge<double> _trainLoss;
    private readonly Gauge<double> _validationLoss;
    private readonly Gauge<double> _trainAccuracy;
    private readonly Gauge<double> _validationAccuracy;
    private readonly Gauge<double> _imagesPerSecond;
    private readonly Counter<long> _trialsDeferred;
    private long _queueDepth;
    private long _checkpointVolumeFree = -1;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        _trialsStarted = meter.CreateCounter<long>("experiments.trials.started", "{trial}", "Trial attempts claimed by this worker.");
        _trialsFinished = meter.CreateCounter<long>("experiments.trials.finished", "{trial}", "Trial attempts ended, by outcome (completed, failed, interrupted, diverged, cancelled, lost, deleted).");
        _runningTrials = meter.CreateUpDownCounter<long>("experiments.trials.running", "{trial}", "Trials this worker is training now.");
        _epochDuration = meter.CreateHistogram<double>("experiments.epoch.duration", "s", "Wall time of one epoch (train, validate, checkpoint).");
        _trainLoss = meter.CreateGauge<double>("experiments.epoch.train_loss", null, "Training loss of the last epoch.");
        _validationLoss = meter.CreateGauge<double>("experiments.epoch.val_loss", null, "Validation loss of the last epoch.");
        _trainAccuracy = meter.CreateGauge<double>("experiments.epoch.train_accuracy", null, "Training accuracy of the last epoch.");
        _validationAccuracy = meter.CreateGauge<double>("experiments.epoch.val_accuracy", null, "Validation accuracy of the last epoch.");
        _imagesPerSecond = meter.CreateGauge<double>("experiments.epoch.images_per_second", "{image}/s", "Training throughput of the last epoch.");
        meter.CreateObservableGauge("experiments.queue.depth", () => Volatile.Read(ref _queueDepth), "{trial}", "Trials waiting in the queue, as this worker last saw it.");
        _trialsDeferred = meter.CreateCounter<long>("experiments.trials.deferred", "{trial}", "Queued trials this worker declined to start, by reason (checkpoint_space).");
        meter.CreateObservableGauge("experiments.checkpoint.volume.free", ObserveCheckpointVolumeFree, "By", "Free bytes on the checkpoint volume, as this worker last measured it.");
    }

    public void TrialStarted(string device)
    {
        _trialsStarted.Add(1, new KeyValuePair<string, object?>("device", device));
        _runningTrials.Add(1);
    }

    public void TrialFinished(string outcome)
    {
        _trialsFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _runningTrials.Add(-1);
    }

    public void EpochRecorded(EpochMetrics metrics)
    {
        _epochDuration.Record(metrics.WallSeconds);
        _trainLoss.Record(metrics.TrainLoss);
        _validationLoss.Record(metrics.ValLoss);
        _trainAccuracy.Record(metrics.TrainAccuracy);
        _validationAccuracy.Record(metrics.ValAccuracy);
        _imagesPerSecond.Record(metrics.ImagesPerSecond);
    }

    public void QueueDepthObserved(long depth) => Volatile.Write(ref _queueDepth, depth);

    public void TrialDeferred(string reason) => _trialsDeferred.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CheckpointVolumeFreeObserved(long bytes) => Volatile.Write(ref _checkpointVolumeFree, bytes);

    private IEnumerable<Measurement<long>> ObserveCheckpointVolumeFree()
    {
        // Nothing to report until the first measurement.
        var free = Volatile.Read(ref _checkpointVolumeFree);
        return free < 0 ? [] : [new Measurement<long>(free)];
    }
}
