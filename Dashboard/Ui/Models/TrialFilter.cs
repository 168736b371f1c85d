using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>The Sweep page's table filter: free text over id, status and parameters, a status, and a brush.</summary>
public static class TrialFilter
{
    /// <param name="status">A <see cref="TrialStatus"/> name, or empty for all.</param>
    /// <param name="brushed">Rows inside the parallel-coordinates brush, or null when nothing is brushed.</param>
    public static IReadOnlyList<TrialRow> Apply(IEnumerable<TrialRow> rows, string? text, string? status, Func<TrialRow, bool>? brushed = null)
    {
        if (Enum.TryParse<TrialStatus>(status, ignoreCase: true, out var wanted))
        {
            rows = rows.Where(r => r.Status == wanted);
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            var needle = text.Trim();
            rows = rows.Where(r => r.Id.Contains(needle, StringComparison.OrdinalIgnoreCase)
                || r.Status.ToString().Contains(needle, StringComparison.OrdinalIgnoreCase)
                || r.Parameters.Any(p => $"{p.Key}={p.Value}".Contains(needle, StringComparison.OrdinalIgnoreCase)
                    || $"{p.Key}={r.Shown(p.Key)}".Contains(needle, StringComparison.OrdinalIgnoreCase)));
        }

        if (brushed is not null)
        {
            rows = rows.Where(brushed);
        }

        return rows.ToList();
    }
}
