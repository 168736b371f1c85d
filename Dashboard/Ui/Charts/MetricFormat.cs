using System.Globalization;
using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>How figures read in tables: accuracies in percent, losses with four decimals, durations short.</summary>
public static class MetricFormat
{
    /// <summary>Accuracy as a percentage; stored values at or below 1 are fractions, above 1 already percent.</summary>
    public static string Accuracy(double? value) =>
        value is { } v && double.IsFinite(v) ? Percent(v).ToString("0.00", CultureInfo.InvariantCulture) : "—";

    public static string AccuracySpread(Spread? spread)
    {
        if (spread is null)
        {
            return "—";
        }

        var std = spread.Std is { } s ? " ± " + Percent(s, spread.Mean).ToString("0.00", CultureInfo.InvariantCulture) : "";
        return Accuracy(spread.Mean) + std;
    }

    /// <summary>A value of <paramref name="metric"/>, in its scale, without its unit.</summary>
    public static string Value(MetricDefinition metric, double? value) =>
        metric.Scale == MetricScale.Fraction ? Accuracy(value) : Number(value);

    /// <summary>A value of <paramref name="metric"/> with its unit (" %" for fractions); "—" when there is none.</summary>
    public static string WithUnit(MetricDefinition metric, double? value) =>
        value is { } v && double.IsFinite(v) ? Value(metric, v) + Unit(metric) : "—";

    /// <summary>Mean ± std of <paramref name="metric"/>, in its scale, without its unit.</summary>
    public static string Spread(MetricDefinition metric, Spread? spread)
    {
        if (metric.Scale == MetricScale.Fraction)
        {
            return AccuracySpread(spread);
        }

        return spread is null ? "—" : Number(spread.Mean) + (spread.Std is { } s ? " ± " + Number(s) : "");
    }

    /// <summary>" %" for fractions, nothing for plain numbers.</summary>
    public static string Unit(MetricDefinition metric) => metric.Scale == MetricScale.Fraction ? " %" : "";

    /// <summary>A difference between two values: percentage points for fractions stored as 0..1.</summary>
    public static string Difference(MetricDefinition metric, double gap, double reference) =>
        metric.Scale == MetricScale.Fraction && reference <= 1
            ? (gap * 100).ToString("0.00", CultureInfo.InvariantCulture) + " pts"
            : Number(gap);

    public static string Number(double? value, string format = "0.####") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    public static string Duration(TimeSpan? value) => value switch
    {
        null => "—",
        { TotalSeconds: < 60 } v => $"{v.TotalSeconds:0}s",
        { TotalMinutes: < 60 } v => $"{(int)v.TotalMinutes}m {v.Seconds:00}s",
        { TotalHours: < 48 } v => $"{(int)v.TotalHours}h {v.Minutes:00}m",
        { } v => $"{(int)v.TotalDays}d {v.Hours:00}h",
    };

    public static string When(DateTimeOffset value) => value.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Scales like the mean it belongs to, so a spread is in the same unit as its mean.</summary>
    private static double Percent(double value, double? reference = null) => (reference ?? value) <= 1.0 ? value * 100 : value;
}
