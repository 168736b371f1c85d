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
}
