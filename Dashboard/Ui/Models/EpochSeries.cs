using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>A per-epoch metric the charts can plot: its <see cref="MetricDefinition"/> and how to read it from an epoch.</summary>
public sealed record EpochSeries(MetricDefinition Metric, Func<EpochMetrics, double> Value)
{
    public static readonly EpochSeries ValAccuracy = new(MetricDefinition.ValAccuracy, e => e.ValAccuracy);
    public static readonly EpochSeries ValLoss = new(MetricDefinition.ValLoss, e => e.ValLoss);
    public static readonly EpochSeries TrainAccuracy = new(MetricDefinition.TrainAccuracy, e => e.TrainAccuracy);
    public static readonly EpochSeries TrainLoss = new(MetricDefinition.TrainLoss, e => e.TrainLoss);
    public static readonly EpochSeries LearningRate = new(MetricDefinition.LearningRate, e => e.LearningRate);
    public static readonly EpochSeries ImagesPerSecond = new(MetricDefinition.ImagesPerSecond, e => e.ImagesPerSecond);

    public static IReadOnlyList<EpochSeries> All { get; } = [ValAccuracy, ValLoss, TrainAccuracy, TrainLoss, LearningRate, ImagesPerSecond];

    public string Name => Metric.Name;

    public string Title => Metric.Title;

    /// <summary>The series of a metric, by any of its names; null for metrics not recorded per epoch (test accuracy).</summary>
    public static EpochSeries? Find(string name) =>
        MetricDefinition.Find(name) is { } metric ? All.FirstOrDefault(s => s.Metric == metric) : null;
}
