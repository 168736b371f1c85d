using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Charts;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>The Sweep page's summary and filter, as models: ranking, lead, counts and formatting by the metric's definition.</summary>
public sealed class SweepOverviewTests
{
    private static SweepTable Table(SweepMetric metric, params TrialRow[] rows) => SweepTable.FromRows(rows, SweepObjective.For(metric));

    [Fact]
    public void BestTrialLeadsTheRunnerUpInPercentagePointsOnAnAccuracy()
    {
        var table = Table(new SweepMetric("val_accuracy", "maximize"),
            Row("t0", Params(("lr", "0.1")), 0.80),
            Row("t1", Params(("lr", "0.01")), 0.9123),
            Row("t2", Params(("lr", "0.001")), 0.90, status: TrialStatus.Running));

        var overview = SweepOverview.Build(table, SeedGroups.Build(table.Rows, table.VaryingKeys, table.Objective));

        Assert.Equal("t1", overview.Best!.Id);
        Assert.Equal("91.23 %", overview.BestScore);
        Assert.Equal("ahead of the next by 1.23 pts", overview.Lead);
        Assert.Equal(1, overview.Active);
        Assert.Equal(0, overview.Failed);
        Assert.Null(overview.BestGroup);
    }

    [Fact]
    public void ALossIsMinimisedAndShownAsANumber()
    {
        var table = Table(new SweepMetric("val_loss", "minimize"),
            Row("t0", Params(("lr", "0.1")), 0.5),
            Row("t1", Params(("lr", "0.01")), 0.25),
            Row("t2", Params(("lr", "0.001")), null, status: TrialStatus.Failed));

        var overview = SweepOverview.Build(table, []);

        Assert.Equal("t1", overview.Best!.Id);
        Assert.Equal("0.25", overview.BestScore);
        Assert.Equal("ahead of the next by 0.25", overview.Lead);
        Assert.Equal(1, overview.Failed);
    }

    [Fact]
    public void ALoneTrialHasNoLead()
    {
        var table = Table(new SweepMetric("val_accuracy", "maximize"), Row("t0", Params(), 0.5));
        Assert.Null(SweepOverview.Build(table, []).Lead);
    }

    [Fact]
    public void BestConfigurationOverSeedsNeedsTwoSeedsWithResults()
    {
        var table = Table(new SweepMetric("val_accuracy", "maximize"),
            Row("t0", Params(("lr", "0.01"), ("seed", "0")), 0.90, seed: 0),
            Row("t1", Params(("lr", "0.01"), ("seed", "1")), 0.92, seed: 1),
            Row("t2", Params(("lr", "0.1"), ("seed", "0")), 0.50, seed: 0));

        var overview = SweepOverview.Build(table, SeedGroups.Build(table.Rows, table.VaryingKeys, table.Objective));

        Assert.Equal("lr=0.01", overview.BestGroup!.Label);
        Assert.Equal("91.00 ± 1.41 %", overview.BestGroupScore);
    }

    [Fact]
    public void FilterMatchesTextStatusAndBrush()
    {
        TrialRow[] rows =
        [
            Row("t0", Params(("lr", "0.1")), 0.8),
            Row("t1", Params(("lr", "0.01")), 0.9, status: TrialStatus.Failed),
            Row("t2", Params(("lr", "0.01")), 0.7),
        ];

        Assert.Equal(["t1", "t2"], TrialFilter.Apply(rows, " lr=0.01 ", "").Select(r => r.Id));
        Assert.Equal(["t1"], TrialFilter.Apply(rows, "", "Failed").Select(r => r.Id));
        Assert.Equal(["t1"], TrialFilter.Apply(rows, "failed", null).Select(r => r.Id));
        Assert.Equal(["t0"], TrialFilter.Apply(rows, null, null, r => r.BestValAccuracy > 0.75 && r.Status == TrialStatus.Completed).Select(r => r.Id));
    }

    [Theory]
    [InlineData("val_accuracy", "maximize", 0.875, "87.50 %")]
    [InlineData("val_acc", "maximize", 0.875, "87.50 %")]
    [InlineData("TEST_ACCURACY", "maximize", 0.5, "50.00 %")]
    [InlineData("train_loss", "minimize", 0.123456, "0.1235")]
    [InlineData("val_loss", "minimize", null, "—")]
    public void TheMetricsDefinitionDecidesHowItsValuesRead(string name, string goal, double? value, string expected)
    {
        var objective = SweepObjective.For(new SweepMetric(name, goal));
        Assert.Equal(expected, MetricFormat.WithUnit(objective.Metric, value));
    }

    [Fact]
    public void EveryObjectiveTheValidatorAcceptsHasADefinition()
    {
        Assert.Equal(["val_accuracy", "val_loss", "train_accuracy", "train_loss", "test_accuracy"], MetricDefinition.Objectives.Select(m => m.Name));
        Assert.All(EpochSeries.All, s => Assert.Same(s.Metric, MetricDefinition.Find(s.Name)));
        Assert.Equal(MetricDefinition.LearningRate, MetricDefinition.Find("lr"));
        Assert.Null(MetricDefinition.Find("val_accuracyy"));
    }
}
