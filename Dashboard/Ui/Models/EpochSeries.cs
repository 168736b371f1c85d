using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>A per-epoch metric the charts can plot, by its snake_case name.</summary>
public sealed record EpochSeries(string Name, string Title, Func<EpochMetrics, double> Value)
{
    public static readonly EpochSeries ValAccuracy = new("val_accuracy", "Validation accuracy", e => e.ValAccuracy);
    public static readonly EpochSeries ValLoss = new("val_loss", "Validation loss", e => e.ValLoss);
    public static readonly EpochSeries TrainAccuracy = new("train_accuracy", "Train accuracy", e => e.TrainAccuracy);
    public static readonly EpochSeries TrainLoss = new("train_loss", "Train loss", e => e.TrainLoss);
    public static readonly EpochSeries LearningRate = new("learning_rate", "Learning rate", e => e.LearningRate);
    public static readonly EpochSeries ImagesPerSecond = new("images_per_second", "Images/s", e => e.ImagesPerSecond);

    public static IReadOnlyList<EpochSeries> All { get; } = [ValAccuracy, ValLoss, TrainAccuracy, TrainLoss, LearningRate, ImagesPerSecond];

    public static EpochSeries? Find(string name) => name switch
    {
        "val_acc" => ValAccuracy,
        "train_acc" => TrainAccuracy,
        "lr" => LearningRate,
        _ => All.FirstOrDefault(s => s.Name == name),
    };
}
