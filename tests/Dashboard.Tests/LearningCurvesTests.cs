using Experiments.Core.Records;
using System.Text.Json;
using Experiments.Dashboard.Ui.Charts;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class LearningCurvesTests
{
    private static List<TrialData> Trials(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new TrialData(
            Trial("s", i, Params(("lr", (1e-4 * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            Epochs([.. Enumerable.Range(1, 50).Select(e => 0.5 + (0.4 * e / 50.0) + (i % 7 * 0.001))])))];

    [Fact]
    public void ManyTrialsAreSentAsAMedianAndBandWhoseSizeDoesNotGrowWithTheTrials()
    {
        var small = LearningCurves.Build(Trials(1000), ["lr"], EpochSeries.ValAccuracy, byWallTime: false, bestTrialId: "s-t6");
        var large = LearningCurves.Build(Trials(10_000), ["lr"], EpochSeries.ValAccuracy, byWallTime: false, bestTrialId: "s-t6");

        var smallJson = JsonSerializer.Serialize(small.Data);
        var largeJson = JsonSerializer.Serialize(large.Data);
        Assert.Equal(4, large.Data.Count); // 10 %, 90 % (filled), median, best trial
        Assert.InRange(largeJson.Length, 0, smallJson.Length * 1.05);
        Assert.Contains("median of 10000 trials", largeJson, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBandHoldsTheQuantilesOfEachEpoch()
    {
        var figure = LearningCurves.Build(Trials(1000), [], EpochSeries.ValAccuracy, byWallTime: false, bestTrialId: null);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(figure.Data));
        var median = json.RootElement[2].GetProperty("y");
        var low = json.RootElement[0].GetProperty("y");
        var high = json.RootElement[1].GetProperty("y");
        Assert.Equal(50, median.GetArrayLength());
        // Epoch 1: 0.508 + (i % 7) * 0.001 over 1,000 trials: quantiles between 0.508 and 0.514.
        Assert.InRange(low[0].GetDouble(), 0.508, median[0].GetDouble());
        Assert.InRange(high[0].GetDouble(), median[0].GetDouble(), 0.514);
    }

    [Fact]
    public void ADivergedTrialsClimbingLossLeavesTheAxisFittedToTheOthers()
    {
        var steady = Enumerable.Range(0, 3).Select(i => new TrialData(Trial("s", i, Params(("lr", "0.001"))), Epochs(0.5, 0.6, 0.7))).ToList();
        var climbing = new[] { 2.0, 40.0, 9e5 }.Select((loss, e) => new EpochMetrics(e + 1, loss, 0.1, loss, 0.1, 1, 10, 200)).ToList();
        var diverged = new TrialData(Trial("s", 3, Params(("lr", "10")), status: TrialStatus.Diverged), climbing);

        var figure = LearningCurves.Build([.. steady, diverged], ["lr"], EpochSeries.ValLoss, byWallTime: false, bestTrialId: "s-t0");
        var withoutDivergence = LearningCurves.Build(steady, ["lr"], EpochSeries.ValLoss, byWallTime: false, bestTrialId: "s-t0");

        // The steady losses are 1.1, 0.55 and 0.367: the axis spans them (5 % padding), not 9e5.
        using var layout = JsonDocument.Parse(JsonSerializer.Serialize(figure.Layout));
        var range = layout.RootElement.GetProperty("yaxis").GetProperty("range");
        Assert.InRange(range[0].GetDouble(), 0.3, 0.367);
        Assert.InRange(range[1].GetDouble(), 1.1, 1.2);
        Assert.False(layout.RootElement.GetProperty("yaxis").GetProperty("autorange").GetBoolean());
        // The diverged trial is still drawn, whole; and without one plotly fits the axis as before.
        Assert.Contains("900000", JsonSerializer.Serialize(figure.Data), StringComparison.Ordinal);
        Assert.DoesNotContain("range", JsonSerializer.Serialize(withoutDivergence.Layout), StringComparison.Ordinal);
        // The first picture keeps the fitted axis too.
        var preview = ChartPreview.Build(figure)!;
        Assert.Equal(MetricFormat.Number(range[1].GetDouble(), "G3"), preview.YMax);
    }
}
