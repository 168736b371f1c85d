namespace Experiments.Core.Tests.Specs;

/// <summary><c>metric.target</c>: optional, judged by the one validator, errors at <c>metric.target</c>.</summary>
public sealed class MetricTargetTests
{
    [Fact]
    public void ATargetIsReadWithTheMetricAndIsOptional()
    {
        var targeted = SpecAssert.Parses(SpecAssert.Grid("metric: { name: val_accuracy, goal: maximize, target: 0.85 }"));
        var minimized = SpecAssert.Parses(SpecAssert.Grid("metric: { name: val_loss, goal: minimize, target: 0.4 }"));
        var none = SpecAssert.Parses(SpecAssert.Grid("metric: { name: val_accuracy, goal: maximize }"));
        var json = SpecAssert.Parses("""{ "name": "t", "method": "grid", "metric": { "name": "train_loss", "goal": "minimize", "target": 0 } }""");

        Assert.Equal(0.85, targeted.Metric.Target);
        Assert.Equal(0.4, minimized.Metric.Target);
        Assert.Null(none.Metric.Target);
        Assert.Equal(0, json.Metric.Target);
    }

    [Fact]
    public void ReachingMeansAtLeastTheTargetWhenMaximizingAndAtMostWhenMinimizing()
    {
        var maximize = SpecAssert.Parses(SpecAssert.Grid("metric: { name: val_accuracy, goal: maximize, target: 0.85 }")).Metric;
        var minimize = SpecAssert.Parses(SpecAssert.Grid("metric: { name: val_loss, goal: minimize, target: 0.4 }")).Metric;

        Assert.True(maximize.Reaches(0.85));
        Assert.False(maximize.Reaches(0.8499));
        Assert.True(minimize.Reaches(0.4));
        Assert.False(minimize.Reaches(0.41));
        Assert.False(minimize.Reaches(double.NaN));
        Assert.False(SpecAssert.Parses(SpecAssert.Grid("")).Metric.Reaches(1.0));
    }

    [Theory]
    [InlineData("metric: { name: val_accuracy, goal: maximize, target: 85 }", "metric.target: must be between 0 and 1 (val_accuracy is a fraction: 0.85 means 85 %)")]
    [InlineData("metric: { name: train_accuracy, goal: maximize, target: -0.1 }", "metric.target: must be between 0 and 1 (train_accuracy is a fraction: 0.85 means 85 %)")]
    [InlineData("metric: { name: val_loss, goal: minimize, target: -1 }", "metric.target: must be >= 0")]
    [InlineData("metric: { name: val_accuracy, goal: maximize, target: high }", "metric.target: must be a number, got a string")]
    [InlineData("metric: { name: val_accuracy, goal: maximize, target: .nan }", "metric.target: must be a finite number")]
    [InlineData("metric: { name: test_accuracy, goal: maximize, target: 0.9 }", "metric.target: test_accuracy is measured once, after training; a target needs a metric recorded every epoch (val_accuracy, val_loss, train_accuracy, train_loss)")]
    public void ABadTargetIsReportedAtItsPath(string metric, string expected) =>
        SpecAssert.RejectsWith(SpecAssert.Grid(metric), expected);
}
