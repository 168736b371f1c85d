using Bunit;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>"Last val" is the latest epoch's validation accuracy, "Best val" the highest: they differ after a peak.</summary>
public sealed class LastValidationColumnTests : BunitContext
{
    public LastValidationColumnTests() => JSInterop.Mode = JSRuntimeMode.Loose;

    [Fact]
    public void LastValDiffersFromBestValWhenTheCurvePeakedEarlier()
    {
        var peaked = SweepTable.ToRow(new TrialData(Trial("sw", 0, Params()), Epochs(0.50, 0.82, 0.74)), SweepObjective.For(null));
        var rising = SweepTable.ToRow(new TrialData(Trial("sw", 1, Params()), Epochs(0.50, 0.74, 0.82)), SweepObjective.For(null));

        Assert.Equal((0.82, 0.74), (peaked.BestValAccuracy, peaked.LastValAccuracy));
        Assert.Equal((0.82, 0.82), (rising.BestValAccuracy, rising.LastValAccuracy));
    }

    [Fact]
    public void TheTableShowsBothColumnsUnderTheirHeaders()
    {
        var row = SweepTable.ToRow(new TrialData(Trial("sw", 0, Params()), Epochs(0.50, 0.82, 0.74)), SweepObjective.For(null));
        var cut = Render<TrialTable>(p => p.Add(t => t.Table, SweepTable.FromRows([row], SweepObjective.For(null))).Add(t => t.Virtualize, false));

        var headers = cut.FindAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        var cells = cut.FindAll("tbody tr td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("82.00", cells[headers.FindIndex(h => h.StartsWith("Best val", StringComparison.Ordinal))]);
        Assert.Equal("74.00", cells[headers.FindIndex(h => h.StartsWith("Last val", StringComparison.Ordinal))]);
    }

    [Fact]
    public void ATrialWithoutEpochsHasNeither()
    {
        var row = SweepTable.ToRow(new TrialData(Trial("sw", 0, Params()), []), SweepObjective.For(null));

        Assert.Null(row.BestValAccuracy);
        Assert.Null(row.LastValAccuracy);
    }
}
