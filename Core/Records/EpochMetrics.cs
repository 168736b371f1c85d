namespace Experiments.Core.Records;

/// <summary>One epoch of one trial, as recorded in the store (exactly once per epoch).</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValLoss,
    double ValAccuracy,
    double LearningRate,
    double WallSeconds,
    double ImagesPerSecond)
{
    /// <summary>
    /// The attempt that recorded it, stamped by the fenced epoch write (so a reader can tell where a resumed trial
    /// picked up); null in records from before the stamp.
    /// </summary>
    public int? Attempt { get; init; }
}
