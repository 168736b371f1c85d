using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>The sweep page's smaller figures: parameter-vs-metric scatter and the spread over seeds.</summary>
public static class SweepCharts
{
    public static ChartFigure Scatter(IReadOnlyList<TrialRow> rows, string parameter, IReadOnlyList<string> labelKeys, string? bestTrialId, string metricTitle)
    {
        var scored = rows.Where(r => r.Score is not null).ToList();
        var numeric = scored.All(r => r.NumericParameter(parameter) is not null);
        object X(IEnumerable<TrialRow> items) => numeric
            ? items.Select(r => r.NumericParameter(parameter)).ToArray()
            : items.Select(r => r.Parameter(parameter)).ToArray();

        var best = scored.Where(r => r.Id == bestTrialId).ToList();
        var positive = numeric && scored.All(r => r.NumericParameter(parameter) > 0);
        var spread = positive && scored.Count > 0 ? scored.Max(r => r.NumericParameter(parameter)!.Value) / scored.Min(r => r.NumericParameter(parameter)!.Value) : 1;
        var data = new List<object>
        {
            new
            {
                type = "scatter",
                mode = "markers",
                name = "trials",
                x = X(scored),
                y = scored.Select(r => r.Score).ToArray(),
                text = scored.Select(r => r.Label(labelKeys)).ToArray(),
                marker = new { size = 7, color = ChartColors.Accent, opacity = 0.7 },
                hovertemplate = "%{text}<br>%{y:.4f}<extra></extra>",
            },
            new
            {
                type = "scatter",
                mode = "markers",
                name = "best",
                x = X(best),
                y = best.Select(r => r.Score).ToArray(),
                text = best.Select(r => r.Label(labelKeys)).ToArray(),
                marker = new { size = 12, color = ChartColors.Best, symbol = "star" },
                hovertemplate = "best: %{text}<br>%{y:.4f}<extra></extra>",
            },
        };
        var layout = new
        {
            showlegend = false,
            hovermode = "closest",
            xaxis = new { title = new { text = parameter }, type = numeric ? (spread >= 100 ? "log" : "linear") : "category" },
            yaxis = new { title = new { text = metricTitle } },
        };
        return new ChartFigure(data, layout);
    }

    public static ChartFigure SeedSpread(IReadOnlyList<SeedGroup> groups, string metricTitle)
    {
        var shown = groups.Where(g => g.Score is not null).Take(60).ToList();
        var data = new object[]
        {
            new
            {
                type = "scatter",
                mode = "markers",
                x = shown.Select(g => g.Label).ToArray(),
                y = shown.Select(g => g.Score!.Mean).ToArray(),
                error_y = new { type = "data", array = shown.Select(g => g.Score!.Std ?? 0).ToArray(), visible = true },
                text = shown.Select(g => $"n={g.Score!.Count}").ToArray(),
                marker = new { size = 9, color = ChartColors.Accent },
                hovertemplate = "%{x}<br>mean %{y:.4f} ± %{error_y.array:.4f}, %{text}<extra></extra>",
            },
        };
        var layout = new
        {
            showlegend = false,
            xaxis = new { type = "category", automargin = true },
            yaxis = new { title = new { text = metricTitle + " (mean ± std over seeds)" } },
        };
        return new ChartFigure(data, layout);
    }
}
