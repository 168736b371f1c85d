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
    double ImagesPerSecond);
