using System.Text.Json;
using Experiments.Dashboard.Ui.Charts;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>The Trial page's curves: train and validation per epoch, and the test result of each evaluated checkpoint at its epoch.</summary>
public sealed class TrialChartsTests
{
    private static readonly Core.Records.EvaluationReport Best = Evaluation(0.81) with { Checkpoint = "best", Epoch = 2, Loss = 0.55 };
    private static readonly Core.Records.EvaluationReport Last = Evaluation(0.78) with { Checkpoint = "last", Epoch = 3, Loss = 0.61 };

    [Theory]
    [InlineData(true, "test accuracy", 0.81, 0.78)]
    [InlineData(false, "test loss", 0.55, 0.61)]
    public void EachEvaluatedCheckpointsTestResultIsMarkedAtItsEpoch(bool accuracy, string name, double best, double last)
    {
        var figure = TrialCharts.Curves(Epochs(0.5, 0.8, 0.79), accuracy, [Best, Last]);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(figure.Data));
        Assert.Equal(3, json.RootElement.GetArrayLength());
        var marks = json.RootElement[2];
        Assert.Equal(name, marks.GetProperty("name").GetString());
        Assert.Equal("markers+text", marks.GetProperty("mode").GetString());
        Assert.Equal([2, 3], marks.GetProperty("x").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal([best, last], marks.GetProperty("y").EnumerateArray().Select(y => y.GetDouble()));
        Assert.Equal(["best", "last"], marks.GetProperty("text").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void BestAndLastOfTheSameEpochAreOneMarkNamedForBoth()
    {
        var figure = TrialCharts.Curves(Epochs(0.5, 0.8, 0.9), accuracy: true, [Best with { Epoch = 3 }, Last]);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(figure.Data));
        var marks = json.RootElement[2];
        Assert.Equal([3], marks.GetProperty("x").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(["best, last"], marks.GetProperty("text").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void ATrialWithoutTestResultsHasOnlyItsTrainAndValidationCurves()
    {
        var figure = TrialCharts.Curves(Epochs(0.5, 0.8), accuracy: true, []);

        Assert.Equal(2, figure.Data.Count);
    }
}
