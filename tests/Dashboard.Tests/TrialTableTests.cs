using Bunit;
using Microsoft.AspNetCore.Components;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class TrialTableTests : BunitContext
{
    public TrialTableTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static SweepTable ThreeTrials() => SweepTable.FromRows(
        [
            Row("t0", Params(("lr", "0.001"), ("optimizer", "adam")), 0.81),
            Row("t1", Params(("lr", "0.01"), ("optimizer", "adam")), 0.93, test: 0.925),
            Row("t2", Params(("lr", "0.1"), ("optimizer", "adam")), 0.42),
        ],
        SweepObjective.For(null));

    [Fact]
    public void RendersOneRowPerTrialWithItsMetrics()
    {
        var cut = Render<TrialTable>(p => p.Add(t => t.Table, ThreeTrials()).Add(t => t.Virtualize, false));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("#1", rows[1].TextContent);
        Assert.Contains("93.00", rows[1].TextContent);
        Assert.Contains("92.50", rows[1].TextContent);
        Assert.Contains("completed", rows[1].TextContent);
    }

    [Fact]
    public void ShowsOnlyTheParametersThatDifferUnlessAllAreRequested()
    {
        var table = ThreeTrials();

        var headers = Render<TrialTable>(p => p.Add(t => t.Table, table).Add(t => t.Virtualize, false))
            .FindAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        var allHeaders = Render<TrialTable>(p => p.Add(t => t.Table, table).Add(t => t.Virtualize, false).Add(t => t.ShowAllParameters, true))
            .FindAll("thead th").Select(h => h.TextContent.Trim()).ToList();

        Assert.Contains(headers, h => h.StartsWith("lr", StringComparison.Ordinal));
        Assert.DoesNotContain(headers, h => h.StartsWith("optimizer", StringComparison.Ordinal));
        Assert.Contains(allHeaders, h => h.StartsWith("optimizer", StringComparison.Ordinal));
    }

    [Fact]
    public void HighlightsTheBestTrialOnTheSweepMetric()
    {
        var cut = Render<TrialTable>(p => p.Add(t => t.Table, ThreeTrials()).Add(t => t.Virtualize, false));

        var best = Assert.Single(cut.FindAll("tbody tr.row-best"));
        Assert.Contains("#1", best.TextContent);
    }

    [Fact]
    public void BestTrialFollowsTheGoalWhenTheMetricIsMinimised()
    {
        var table = SweepTable.FromRows(
            [Row("t0", Params(("lr", "1")), 0.9), Row("t1", Params(("lr", "2")), 0.3)],
            SweepObjective.For(new Experiments.Core.Specs.SweepMetric("val_loss", "minimize")));

        Assert.Equal("t1", table.BestTrialId);
    }

    [Fact]
    public void OffersRequeueOnlyForTrialsInAFinalFailedState()
    {
        var table = SweepTable.FromRows(
            [
                Row("t0", Params(("lr", "1")), 0.9),
                Row("t1", Params(("lr", "2")), null, status: Experiments.Core.Records.TrialStatus.Failed),
            ],
            SweepObjective.For(null));
        string? requeued = null;

        var cut = Render<TrialTable>(p => p.Add(t => t.Table, table).Add(t => t.Virtualize, false)
            .Add(t => t.OnRequeue, (string id) => requeued = id));

        var button = Assert.Single(cut.FindAll("button"), b => b.TextContent == "Requeue");
        button.Click();
        Assert.Equal("t1", requeued);
    }

    [Fact]
    public void AScreenfulOfTrialsIsNotVirtualizedSoItsRowsAreInTheFirstInteractiveRender()
    {
        // Virtualize is on (the sweep page's default), but three rows fit a screen: no wait for a viewport measurement.
        var cut = Render<TrialTable>(p => p.Add(t => t.Table, ThreeTrials()));

        Assert.Equal(3, cut.FindAll("tbody tr").Count);
        Assert.DoesNotContain("grid-scroll", cut.Find(".grid-wrap").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void VirtualizedTableRendersOnlyAWindowOfTwoThousandTrials()
    {
        var rows = Enumerable.Range(0, 2000).Select(i => Row("t" + i, Params(("lr", i.ToString(System.Globalization.CultureInfo.InvariantCulture))), 0.5)).ToList();

        var cut = Render<TrialTable>(p => p.Add(t => t.Table, SweepTable.FromRows(rows, SweepObjective.For(null))));

        // Rows arrive once the virtualizer has measured its viewport; only a window of them is in the DOM.
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("tbody tr")));
        Assert.InRange(cut.FindAll("tbody tr").Count, 1, 200);
    }
}
