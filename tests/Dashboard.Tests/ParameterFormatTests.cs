using Bunit;
using Experiments.Dashboard.Components.Controls;
using Experiments.Dashboard.Ui.Charts;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class ParameterFormatTests : BunitContext
{
    public ParameterFormatTests() => JSInterop.Mode = JSRuntimeMode.Loose;

    private static ParameterFormat Lr(params string[] values) =>
        ParameterFormat.Of(values.Select(v => Params(("lr", v))));

    [Fact]
    public void SmallMagnitudesUseScientificNotationWithTheFewestDigitsThatTellValuesApart()
    {
        var format = Lr("3.1622776601683795E-05", "0.0001", "0.00031622776601683794");

        Assert.Equal("3.2e-5", format.Format("lr", "3.1622776601683795E-05"));
        Assert.Equal("1e-4", format.Format("lr", "0.0001"));
        Assert.Equal("3.2e-4", format.Format("lr", "0.00031622776601683794"));
    }

    [Fact]
    public void DigitsGrowOnlyUntilTheSweepsValuesDiffer()
    {
        var format = Lr("0.0009426684551178855", "0.0009431", "0.02");

        Assert.Equal(4, format.DigitsOf("lr"));
        Assert.Equal("9.427e-4", format.Format("lr", "0.0009426684551178855"));
        Assert.Equal("9.431e-4", format.Format("lr", "0.0009431"));
        Assert.Equal("0.02", format.Format("lr", "0.02"));
    }

    [Fact]
    public void ValuesCloserThanSixDigitsShareSixDigits()
    {
        var format = Lr("0.123456789", "0.123456781");

        Assert.Equal(ParameterFormat.MaxDigits, format.DigitsOf("lr"));
        Assert.Equal("0.123457", format.Format("lr", "0.123456789"));
    }

    [Fact]
    public void MidRangeNumbersArePlainAndIntegersAreNeverRounded()
    {
        var format = ParameterFormat.Of([Params(("momentum", "0.9"), ("batch_size", "128"), ("seed", "1234567")),
            Params(("momentum", "0.95"), ("batch_size", "256"), ("seed", "7"))]);

        Assert.Equal("0.9", format.Format("momentum", "0.9"));
        Assert.Equal("0.95", format.Format("momentum", "0.95"));
        Assert.Equal("128", format.Format("batch_size", "128"));
        Assert.Equal("1234567", format.Format("seed", "1234567"));
        Assert.Equal("2.5e6", ParameterFormat.Number(2_500_000.5, 2));
        Assert.Equal("7", format.Format("seed", "7"));
    }

    [Fact]
    public void ChoicesAndBooleansAreShownAsStored()
    {
        var format = ParameterFormat.Of([Params(("optimizer", "adamw"), ("nesterov", "true"))]);

        Assert.Equal("adamw", format.Format("optimizer", "adamw"));
        Assert.Equal("true", format.Format("nesterov", "true"));
    }

    [Fact]
    public void TheTrialTableTheBestCardLabelAndTheLegendShowTheSameReadableValue()
    {
        var table = SweepTable.FromRows(
            [
                Row("t0", Params(("lr", "0.0009426684551178855")), 0.93),
                Row("t1", Params(("lr", "3.1622776601683795E-05")), 0.81),
            ],
            SweepObjective.For(null));

        var cut = Render<TrialTable>(p => p.Add(t => t.Table, table).Add(t => t.Virtualize, false));

        var cells = cut.FindAll("tbody td.col-param").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["9.4e-4", "3.2e-5"], cells);
        Assert.DoesNotContain("0.0009426684551178855", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("#0 lr=9.4e-4", table.Rows[0].Label(["lr"]));
        Assert.Equal("0.0009426684551178855", table.Rows[0].Parameter("lr"));
    }

    [Fact]
    public void FilteringFindsATrialByItsShownValue()
    {
        var table = SweepTable.FromRows(
            [Row("t0", Params(("lr", "0.0009426684551178855")), 0.93), Row("t1", Params(("lr", "3.1622776601683795E-05")), 0.81)],
            SweepObjective.For(null));

        var found = TrialFilter.Apply(table.Rows, "lr=3.2e-5", null);

        Assert.Equal("t1", Assert.Single(found).Id);
    }
}
