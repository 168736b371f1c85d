using Bunit;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Charts;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.MarkupCounts;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>The static first picture of a chart, sent in the page's HTML before plotly draws.</summary>
public sealed class ChartPreviewTests : BunitContext
{
    [Fact]
    public void LinesAreDrawnInTheirColoursWithAGapSplittingALineAndTheAxesRangesLabelled()
    {
        var figure = new ChartFigure(
        [
            new { type = "scatter", mode = "lines", x = new double?[] { 1, 2, null, 1, 2 }, y = new double?[] { 0.5, 0.7, null, 0.4, 0.9 }, line = new { color = "#123456", width = 1.5 } },
            new { type = "scatter", mode = "lines", x = new[] { 1.0, 2.0 }, y = new[] { 0.6, 0.8 }, line = new { color = "#abcdef", width = 3 } },
        ], new { xaxis = new { title = new { text = "epoch" } } });

        var preview = ChartPreview.Build(figure)!;

        Assert.Equal(2, Count(preview.Svg, "stroke=\"#123456\""));
        Assert.Equal(1, Count(preview.Svg, "stroke=\"#abcdef\""));
        // x from 1 to 2 spans the box; y is padded by 5 % of 0.4-0.9 on each side.
        Assert.Contains("points=\"0,", preview.Svg, StringComparison.Ordinal);
        Assert.Equal(("1", "2"), (preview.XMin, preview.XMax));
        Assert.Equal(("0.375", "0.925"), (preview.YMin, preview.YMax));
    }

    [Fact]
    public void TheBandOfAManyTrialSweepIsFilledBetweenItsEdges()
    {
        var trials = Enumerable.Range(0, 300).Select(i => new TrialData(
            Trial("s", i, Params(("lr", (1e-4 * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            Epochs([.. Enumerable.Range(1, 20).Select(e => 0.5 + (0.02 * e) + (i % 7 * 0.001))]))).ToList();
        var figure = LearningCurves.Build(trials, ["lr"], EpochSeries.ValAccuracy, byWallTime: false, bestTrialId: "s-t6");

        var preview = ChartPreview.Build(figure)!;

        Assert.Equal(1, Count(preview.Svg, "<polygon"));
        Assert.True(Count(preview.Svg, "<polyline") >= 2, preview.Svg[..200]); // the median and the best trial
    }

    [Fact]
    public void AFigurePlotlyAloneCanDrawHasNoPreview()
    {
        var heatmap = new ChartFigure([new { type = "heatmap", z = new[] { new[] { 1, 2 }, new[] { 3, 4 } } }], new { });
        var categories = new ChartFigure([new { type = "scatter", mode = "markers", x = new[] { "adam", "sgd" }, y = new[] { 0.5, 0.6 } }], new { });

        Assert.Null(ChartPreview.Build(heatmap));
        Assert.Null(ChartPreview.Build(categories));
    }

    [Fact]
    public void TheChartsFirstRenderCarriesThePreviewUntilPlotlyHasDrawn()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var figure = new ChartFigure([new { type = "scatter", mode = "lines", x = new[] { 1.0, 2.0 }, y = new[] { 0.6, 0.8 } }], new { });

        var cut = Render<PlotlyChart>(p => p.Add(c => c.Figure, figure));

        Assert.Single(cut.FindAll(".chart-frame > .chart + .chart-preview svg polyline"));
        cut.Render(); // plotly has drawn (init returned): the preview goes
        Assert.Empty(cut.FindAll(".chart-preview"));
    }
}
