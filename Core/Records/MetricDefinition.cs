namespace Experiments.Core.Records;

/// <summary>How a metric's values read: a fraction (accuracy, shown as a percentage) or a plain number.</summary>
public enum MetricScale
{
    /// <summary>0..1, shown as a percentage; a difference is in percentage points.</summary>
    Fraction,

    /// <summary>Shown as it is (loss, learning rate, images per second).</summary>
    Number,
}

/// <summary>
/// What a metric is, in one place: its name in sweep files and records, its title, which way is better and how its
/// values are shown. Pages, charts and the sweep validator ask this instead of guessing from the name.
/// </summary>
/// <param name="Name">The snake_case name used by sweep files (<c>metric.name</c>), exports and the API.</param>
/// <param name="HigherIsBetter">The natural goal; a sweep may still state its own.</param>
/// <param name="Objective">Whether a sweep may optimise it.</param>
/// <param name="PerEpoch">Recorded after every epoch (test accuracy exists only after training).</param>
public sealed record MetricDefinition(string Name, string Title, bool HigherIsBetter, MetricScale Scale, bool Objective, bool PerEpoch = true)
{
    public static readonly MetricDefinition ValAccuracy = new("val_accuracy", "Validation accuracy", true, MetricScale.Fraction, true);
    public static readonly MetricDefinition ValLoss = new("val_loss", "Validation loss", false, MetricScale.Number, true);
    public static readonly MetricDefinition TrainAccuracy = new("train_accuracy", "Train accuracy", true, MetricScale.Fraction, true);
    public static readonly MetricDefinition TrainLoss = new("train_loss", "Train loss", false, MetricScale.Number, true);
    public static readonly MetricDefinition TestAccuracy = new("test_accuracy", "Test accuracy", true, MetricScale.Fraction, true, PerEpoch: false);
    public static readonly MetricDefinition LearningRate = new("learning_rate", "Learning rate", false, MetricScale.Number, false);
    public static readonly MetricDefinition ImagesPerSecond = new("images_per_second", "Images/s", true, MetricScale.Number, false);

    public static IReadOnlyList<MetricDefinition> All { get; } =
        [ValAccuracy, ValLoss, TrainAccuracy, TrainLoss, TestAccuracy, LearningRate, ImagesPerSecond];

    /// <summary>The metrics a sweep may name as its objective.</summary>
    public static IReadOnlyList<MetricDefinition> Objectives { get; } = [.. All.Where(m => m.Objective)];

    /// <summary>By name, case-insensitively, accepting the notebook's short names (<c>val_acc</c>, <c>lr</c>).</summary>
    public static MetricDefinition? Find(string? name) => name?.ToLowerInvariant() switch
    {
        null => null,
        "val_acc" => ValAccuracy,
        "train_acc" => TrainAccuracy,
        "test_acc" => TestAccuracy,
        "lr" => LearningRate,
        var n => All.FirstOrDefault(m => m.Name == n),
    };
}
