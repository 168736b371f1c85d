using System.Globalization;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Queue;

/// <summary>Sweep plans and results built directly (the spec parser is another part's concern).</summary>
public static class TestPlans
{
    public static SweepPlan Create(int trials, string name = "lr-sweep") => new(
        Name: name,
        Method: "grid",
        Metric: new SweepMetric("val_accuracy", "maximize"),
        SourceText: $"name: {name}\nmethod: grid\n",
        Trials: [.. Enumerable.Range(0, trials).Select(Trial)]);

    public static EpochMetrics Epoch(int epoch, double trainLoss = 1.0) =>
        new(epoch, trainLoss, 0.5, 1.1, 0.45, 1e-3, 12.5, 240.0);

    public static EvaluationReport Evaluation() => new(
        Checkpoint: "last",
        Epoch: 3,
        Loss: 0.9,
        Accuracy: 0.7,
        MacroPrecision: 0.71,
        MacroRecall: 0.69,
        MacroF1: 0.7,
        PerClass: [new ClassMetrics("cat", 0.6, 0.5, 0.55, 100), new ClassMetrics("dog", 0.8, 0.9, 0.85, 100)],
        ConfusionMatrix: [[50, 50], [10, 90]]);

    private static PlannedTrial Trial(int index)
    {
        var lr = 1e-3 * (index + 1);
        var config = new TrainingConfig { Dataset = Dataset.Synthetic, Epochs = 3, Lr = lr, Seed = index };
        return new PlannedTrial(config, new Dictionary<string, string> { ["lr"] = lr.ToString(CultureInfo.InvariantCulture) });
    }
}
