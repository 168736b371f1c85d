using System.Globalization;
using System.Text;
using System.Text.Json;
using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Export;

/// <summary>A sweep's trial table as CSV (RFC 4180) or JSON, with every parameter.</summary>
public static class TrialExport
{
    private static readonly string[] FixedColumns =
    [
        "trial_id", "index", "status", "attempt", "seed", "epochs_done", "epochs", "best_val_accuracy",
        "last_val_accuracy", "test_accuracy", "images_per_second", "wall_seconds", "score", "reason",
        "target_epoch", "target_seconds",
    ];

    public static string ToCsv(SweepTable table)
    {
        var text = new StringBuilder();
        AppendLine(text, FixedColumns.Take(2).Concat(table.AllKeys).Concat(FixedColumns.Skip(2)));
        foreach (var row in table.Rows)
        {
            AppendLine(text, Cells(row, table.AllKeys));
        }

        return text.ToString();
    }

    public static string ToJson(SweepTable table)
    {
        var items = table.Rows.Select(r => new
        {
            trial_id = r.Id,
            index = r.Index,
            parameters = r.Parameters,
            status = r.Status.ToString().ToLowerInvariant(),
            attempt = r.Attempt,
            seed = r.Seed,
            epochs_done = r.EpochsDone,
            epochs = r.Epochs,
            best_val_accuracy = r.BestValAccuracy,
            last_val_accuracy = r.LastValAccuracy,
            test_accuracy = r.TestAccuracy,
            images_per_second = r.ImagesPerSecond,
            wall_seconds = r.WallTime.TotalSeconds,
            score = r.Score,
            reason = r.Reason,
            target_epoch = r.Target?.Epoch,
            target_seconds = r.Target?.Seconds,
        });
        return JsonSerializer.Serialize(items, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Quotes a field when it holds a separator, quote or line break; neutralises spreadsheet formulas.</summary>
    public static string Escape(string value)
    {
        // A text cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        var needsQuotes = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value.StartsWith(' ') || value.EndsWith(' ');
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static IEnumerable<string> Cells(TrialRow row, IReadOnlyList<string> keys)
    {
        yield return row.Id;
        yield return Number(row.Index);
        foreach (var key in keys)
        {
            yield return row.Parameter(key);
        }

        yield return row.Status.ToString().ToLowerInvariant();
        yield return Number(row.Attempt);
        yield return Number(row.Seed);
        yield return Number(row.EpochsDone);
        yield return Number(row.Epochs);
        yield return Number(row.BestValAccuracy);
        yield return Number(row.LastValAccuracy);
        yield return Number(row.TestAccuracy);
        yield return Number(row.ImagesPerSecond);
        yield return Number(row.WallTime.TotalSeconds);
        yield return Number(row.Score);
        yield return row.Reason ?? "";
        yield return row.Target is { } target ? Number(target.Epoch) : "";
        yield return Number(row.Target?.Seconds);
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AppendLine(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(Escape));
        text.Append("\r\n");
    }
}
