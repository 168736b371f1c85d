using Experiments.Dashboard.Ui.Models;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Tests;

/// <summary>Sweeps, trials and epochs built in memory for the tests.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static SweepRecord Sweep(string id, int trials, string metric = "val_accuracy", string goal = "maximize") =>
        new(id, "sweep-" + id, "grid", new SweepMetric(metric, goal), "name: x", Start, null,
            Enumerable.Range(0, trials).Select(i => $"{id}-t{i}").ToList());

    public static TrialRecord Trial(
        string sweepId,
        int index,
        IReadOnlyDictionary<string, string> parameters,
        TrialStatus status = TrialStatus.Completed,
        int epochs = 5,
        int seed = 0,
        IReadOnlyList<EvaluationReport>? evaluations = null,
        int lastEpoch = 0) =>
        new($"{sweepId}-t{index}", sweepId, index, new TrainingConfig { Epochs = epochs, Seed = seed }, parameters, status,
            1, 3, null, false, lastEpoch, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Start, Start, null, null, [], evaluations ?? []);

    public static IReadOnlyList<EpochMetrics> Epochs(params double[] valAccuracies) =>
        valAccuracies.Select((acc, i) => new EpochMetrics(i + 1, 1.0 / (i + 1), acc, 1.1 / (i + 1), acc, 0.001, 10, 200)).ToList();

    public static Dictionary<string, string> Params(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    public static TrialRow Row(string id, IReadOnlyDictionary<string, string> parameters, double? bestVal, double? test = null, int seed = 0, TrialStatus status = TrialStatus.Completed) =>
        new(id, int.Parse(id.TrimStart('t'), System.Globalization.CultureInfo.InvariantCulture), parameters, seed, status, 1, 5, 5, null,
            bestVal, bestVal, test, 200, TimeSpan.FromSeconds(50), bestVal, null);

    public static EvaluationReport Evaluation(double accuracy) =>
        new("best", 5, 0.5, accuracy, accuracy, accuracy, accuracy, [], []);
}
