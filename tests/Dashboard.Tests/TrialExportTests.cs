using Experiments.Dashboard.Ui.Export;
using Experiments.Dashboard.Ui.Models;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

public sealed class TrialExportTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded", "\" padded\"")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("1e-3", "1e-3")]
    public void CsvFieldsAreQuotedOnlyWhenNeeded(string value, string expected)
    {
        Assert.Equal(expected, TrialExport.Escape(value));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-x", "'-x")]
    public void CsvCellsThatSpreadsheetsWouldRunAsFormulasAreNeutralised(string value, string expected)
    {
        Assert.Equal(expected, TrialExport.Escape(value));
    }

    [Fact]
    public void CsvHasAHeaderAndOneLinePerTrialWithEveryParameter()
    {
        var table = SweepTable.FromRows(
            [Row("t0", Params(("lr", "0.1"), ("aug", "crop,flip")), 0.5), Row("t1", Params(("lr", "0.2"), ("aug", "none")), 0.6)],
            SweepObjective.For(null));

        var lines = TrialExport.ToCsv(table).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("trial_id,index,lr,aug,status,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("t0,0,0.1,\"crop,flip\",completed,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void BothFormatsEndWithTheTimeToTargetEmptyUntilReached()
    {
        var table = SweepTable.FromRows(
            [Row("t0", Params(("lr", "0.1")), 0.5) with { Target = new Experiments.Core.Records.TargetReached(3, 12.5) }, Row("t1", Params(("lr", "0.2")), 0.6)],
            SweepObjective.For(null));

        var lines = TrialExport.ToCsv(table).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var json = System.Text.Json.JsonDocument.Parse(TrialExport.ToJson(table));

        Assert.EndsWith(",reason,target_epoch,target_seconds", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",3,12.5", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",,", lines[2], StringComparison.Ordinal);
        Assert.Equal((3, 12.5), (json.RootElement[0].GetProperty("target_epoch").GetInt32(), json.RootElement[0].GetProperty("target_seconds").GetDouble()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement[1].GetProperty("target_epoch").ValueKind);
    }

    [Fact]
    public void JsonCarriesParametersAndMetrics()
    {
        var table = SweepTable.FromRows([Row("t0", Params(("lr", "0.1")), 0.5)], SweepObjective.For(null));

        using var json = System.Text.Json.JsonDocument.Parse(TrialExport.ToJson(table));

        var trial = json.RootElement[0];
        Assert.Equal("0.1", trial.GetProperty("parameters").GetProperty("lr").GetString());
        Assert.Equal(0.5, trial.GetProperty("best_val_accuracy").GetDouble());
    }
}
