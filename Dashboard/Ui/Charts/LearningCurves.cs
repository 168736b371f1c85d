using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// Overlaid learning curves. Few trials get a trace each (legend, hover by name); many are drawn as one
/// gap-separated trace with the trial named in each point's hover text, decimated to a total point budget
/// so 2,000 trials x 50 epochs stay light. The best trial is always drawn on top in full.
/// </summary>
public static class LearningCurves
{
    private const int SeparateTraceLimit = 40;
    private const int FullLabelLimit = 200;

    public static ChartFigure Build(
        IReadOnlyList<TrialData> trials,
        IReadOnlyList<string> labelKeys,
        EpochSeries metric,
        bool byWallTime,
        string? bestTrialId,
        int pointBudget = 20_000,
        ParameterFormat? format = null)
    {
        format ??= ParameterFormat.Of(trials.Select(t => t.Record.Parameters));
        var perCurve = CurveDecimation.PointsPerCurve(trials.Count, pointBudget);
        var data = new List<object>();
        if (trials.Count <= SeparateTraceLimit)
        {
            var color = 0;
            foreach (var trial in trials)
            {
                var (x, y) = Points(trial, metric, byWallTime, int.MaxValue);
                var isBest = trial.Record.Id == bestTrialId;
                data.Add(new
                {
                    type = "scatter",
                    mode = "lines",
                    name = Label(trial, labelKeys, format),
                    x,
                    y,
                    line = new { width = isBest ? 3 : 1.5, color = isBest ? ChartColors.Best : ChartColors.Palette[color++ % ChartColors.Palette.Length] },
                    hovertemplate = "%{fullData.name}<br>%{x}: %{y:.4f}<extra></extra>",
                });
            }
        }
        else
        {
            var xs = new List<double?>();
            var ys = new List<double?>();
            var texts = new List<string?>();
            foreach (var trial in trials)
            {
                var (x, y) = Points(trial, metric, byWallTime, perCurve);
                var text = trials.Count <= FullLabelLimit ? Label(trial, labelKeys, format) : "#" + trial.Record.Index;
                for (var i = 0; i < x.Length; i++)
                {
                    xs.Add(x[i]);
                    ys.Add(y[i]);
                    texts.Add(text);
                }

                // A null point ends this trial's line before the next one starts.
                xs.Add(null);
                ys.Add(null);
                texts.Add(null);
            }

            data.Add(new
            {
                type = "scatter",
                mode = "lines",
                name = $"{trials.Count} trials",
                x = xs,
                y = ys,
                text = texts,
                connectgaps = false,
                line = new { width = 1, color = ChartColors.Muted },
                hovertemplate = "%{text}<br>%{x}: %{y:.4f}<extra></extra>",
            });

            if (trials.FirstOrDefault(t => t.Record.Id == bestTrialId) is { } best)
            {
                var (x, y) = Points(best, metric, byWallTime, int.MaxValue);
                data.Add(new
                {
                    type = "scatter",
                    mode = "lines",
                    name = "best: " + Label(best, labelKeys, format),
                    x,
                    y,
                    line = new { width = 3, color = ChartColors.Best },
                    hovertemplate = "%{fullData.name}<br>%{x}: %{y:.4f}<extra></extra>",
                });
            }
        }

        var layout = new
        {
            showlegend = trials.Count <= 12,
            hovermode = "closest",
            xaxis = new { title = new { text = byWallTime ? "wall time (s)" : "epoch" } },
            yaxis = new { title = new { text = metric.Title } },
        };
        return new ChartFigure(data, layout);
    }

    public static string Label(TrialData trial, IReadOnlyList<string> keys, ParameterFormat format) =>
        keys.Count == 0
            ? "#" + trial.Record.Index
            : $"#{trial.Record.Index} " + string.Join(" ", keys.Select(k => $"{k}={format.Format(k, trial.Record.Parameters.GetValueOrDefault(k))}"));

    private static (double[] X, double?[] Y) Points(TrialData trial, EpochSeries metric, bool byWallTime, int maxPoints)
    {
        var epochs = trial.Epochs;
        var x = byWallTime ? TrialMetrics.CumulativeWallSeconds(epochs) : epochs.Select(e => (double)e.Epoch).ToArray();
        var y = epochs.Select(metric.Value).ToArray();
        var keep = CurveDecimation.Lttb(x, y, maxPoints);
        // Diverged trials record NaN/infinity, which JSON cannot carry: they become gaps.
        return (keep.Select(i => x[i]).ToArray(), keep.Select(i => double.IsFinite(y[i]) ? y[i] : (double?)null).ToArray());
    }
}
