using Bunit;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class SeedGroupTests : BunitContext
{
    public SeedGroupTests() => JSInterop.Mode = JSRuntimeMode.Loose;

    private static readonly SweepObjective Objective = SweepObjective.For(null);

    private static IReadOnlyList<TrialRow> TwoConfigsOverThreeSeeds() =>
    [
        Row("t0", Params(("lr", "0.01"), ("seed", "0")), 0.90, test: 0.89, seed: 0),
        Row("t1", Params(("lr", "0.01"), ("seed", "1")), 0.92, test: 0.91, seed: 1),
        Row("t2", Params(("lr", "0.01"), ("seed", "2")), 0.94, test: 0.93, seed: 2),
        Row("t3", Params(("lr", "0.1"), ("seed", "0")), 0.50, test: 0.40, seed: 0),
        Row("t4", Params(("lr", "0.1"), ("seed", "1")), 0.70, test: 0.60, seed: 1),
        Row("t5", Params(("lr", "0.1"), ("seed", "2")), null, seed: 2, status: Experiments.Core.Records.TrialStatus.Running),
    ];

    [Fact]
    public void TrialsDifferingOnlyBySeedFormOneGroupWithMeanAndSampleStd()
    {
        var groups = SeedGroups.Build(TwoConfigsOverThreeSeeds(), ["lr", "seed"], Objective);

        Assert.Equal(2, groups.Count);
        var best = groups[0];
        Assert.Equal("lr=0.01", best.Label);
        Assert.Equal([0, 1, 2], best.Seeds);
        Assert.Equal(0.92, best.BestValAccuracy!.Mean, 10);
        Assert.Equal(0.02, best.BestValAccuracy.Std!.Value, 10);
        Assert.Equal(0.91, best.TestAccuracy!.Mean, 10);
        Assert.Equal(3, best.Score!.Count);
    }

    [Fact]
    public void TrialsWithoutAResultAreLeftOutOfTheSpread()
    {
        var worse = SeedGroups.Build(TwoConfigsOverThreeSeeds(), ["lr", "seed"], Objective)[1];

        Assert.Equal(3, worse.TrialIds.Count);
        Assert.Equal(2, worse.BestValAccuracy!.Count);
        Assert.Equal(0.60, worse.BestValAccuracy.Mean, 10);
        Assert.Equal(Math.Sqrt(0.02), worse.BestValAccuracy.Std!.Value, 10);
    }

    [Fact]
    public void OneSeedHasNoStandardDeviation()
    {
        var spread = Spread.Of([0.5]);

        Assert.Equal(0.5, spread!.Mean);
        Assert.Null(spread.Std);
    }

    [Fact]
    public void TableShowsMeanPlusMinusStdInPercentBestFirst()
    {
        var groups = SeedGroups.Build(TwoConfigsOverThreeSeeds(), ["lr", "seed"], Objective);

        var cut = Render<SeedGroupTable>(p => p.Add(t => t.Groups, groups).Add(t => t.Objective, Objective));

        var rows = cut.FindAll("tbody tr");
        Assert.Contains("lr=0.01", rows[0].TextContent);
        Assert.Contains("92.00 ± 2.00", rows[0].TextContent);
        Assert.Contains("91.00 ± 2.00", rows[0].TextContent);
        Assert.Contains("60.00 ± 14.14", rows[1].TextContent);
    }
}
