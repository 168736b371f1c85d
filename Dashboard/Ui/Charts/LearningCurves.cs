using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// Overlaid learning curves. Few trials get a trace each (legend, hover by name); up to <c>FullLabelLimit</c> are drawn
/// as one gap-separated trace with the trial named in each point's hover text, decimated to a total point budget.
/// Beyond that the server sends what the browser can show: the median and the 10-90 % band over the trials per epoch
/// (or per wall-time bin), a figure of the same size at 10,000 trials as at 300. The best trial is always drawn on top in full.
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
        ParameterFormat? format = null,
        EarlyTerminationView? earlyTermination = null,
        string? objective = null)
    {
        format ??= ParameterFormat.Of(trials.Select(t => t.Record.Parameters));
        var perCurve = CurveDecimation.PointsPerCurve(trials.Count, pointBudget);
        var data = new List<object>();
        if (trials.Count > FullLabelLimit)
        {
            data.AddRange(Band(trials, metric, byWallTime));
            AddBest(data, trials, labelKeys, metric, byWallTime, bestTrialId, format);
        }
        else if (trials.Count <= SeparateTraceLimit)
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

            AddBest(data, trials, labelKeys, metric, byWallTime, bestTrialId, format);
        }

        var shapes = new List<object>();
        if (earlyTermination is not null)
        {
            AddEarlyTermination(data, shapes, trials, earlyTermination, metric, byWallTime, cutsApply: !byWallTime && metric.Name == objective);
        }

        var layout = new
        {
            showlegend = trials.Count <= 12 || trials.Count > FullLabelLimit,
            hovermode = "closest",
            xaxis = new { title = new { text = byWallTime ? "wall time (s)" : "epoch" } },
            yaxis = SteadyRange(trials, metric) is { } range
                ? (object)new { title = new { text = metric.Title }, range, autorange = false }
                : new { title = new { text = metric.Title } },
            shapes,
        };
        return new ChartFigure(data, layout);
    }

    /// <summary>
    /// The y range of the trials that did not diverge, when a diverged trial's values leave it; otherwise null (plotly
    /// fits the axis). A diverging loss climbs by orders of magnitude before it turns NaN, and an axis fitted to it
    /// flattens every other curve to a line; the diverged curve runs off the top instead (its hover keeps its values).
    /// </summary>
    private static double[]? SteadyRange(IReadOnlyList<TrialData> trials, EpochSeries metric)
    {
        static IEnumerable<double> Values(IEnumerable<TrialData> of, EpochSeries metric) => of.SelectMany(t => t.Epochs.Select(metric.Value)).Where(double.IsFinite);
        var steady = Values(trials.Where(t => t.Record.Status != TrialStatus.Diverged), metric).ToList();
        var diverged = Values(trials.Where(t => t.Record.Status == TrialStatus.Diverged), metric).ToList();
        if (steady.Count == 0 || diverged.Count == 0)
        {
            return null;
        }

        var (min, max) = (steady.Min(), steady.Max());
        if (diverged.All(v => v >= min && v <= max))
        {
            return null;
        }

        var pad = max > min ? (max - min) * 0.05 : Math.Max(Math.Abs(max) * 0.05, 0.05);
        return [min - pad, max + pad];
    }

    private static void AddBest(List<object> data, IReadOnlyList<TrialData> trials, IReadOnlyList<string> labelKeys, EpochSeries metric, bool byWallTime, string? bestTrialId, ParameterFormat format)
    {
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

    /// <summary>Wall-time bins for the band: enough to follow a curve, few enough to stay small.</summary>
    private const int WallTimeBins = 60;

    /// <summary>The 10 %, 50 % and 90 % quantiles of the metric over the trials, per epoch or per wall-time bin.</summary>
    private static IEnumerable<object> Band(IReadOnlyList<TrialData> trials, EpochSeries metric, bool byWallTime)
    {
        var bins = new SortedDictionary<double, List<double>>();
        var maxWall = byWallTime ? trials.Max(t => t.Epochs.Sum(e => e.WallSeconds)) : 0;
        var width = maxWall > 0 ? maxWall / WallTimeBins : 1;
        foreach (var trial in trials)
        {
            var wall = 0.0;
            foreach (var epoch in trial.Epochs)
            {
                wall += epoch.WallSeconds;
                var value = metric.Value(epoch);
                if (!double.IsFinite(value))
                {
                    continue;
                }

                // A wall-time bin is drawn at its middle.
                var x = byWallTime ? (Math.Min(WallTimeBins - 1, Math.Floor(wall / width)) + 0.5) * width : epoch.Epoch;
                if (!bins.TryGetValue(x, out var values))
                {
                    bins[x] = values = [];
                }

                values.Add(value);
            }
        }

        var xs = bins.Keys.ToArray();
        var sorted = bins.Values.Select(v => v.Order().ToArray()).ToArray();
        var low = sorted.Select(v => Quantile(v, 0.1)).ToArray();
        var median = sorted.Select(v => Quantile(v, 0.5)).ToArray();
        var high = sorted.Select(v => Quantile(v, 0.9)).ToArray();
        var counts = sorted.Select(v => v.Length).ToArray();
        yield return new { type = "scatter", mode = "lines", name = "10 %", x = xs, y = low, line = new { width = 0, color = ChartColors.Muted }, hoverinfo = "skip", showlegend = false };
        yield return new
        {
            type = "scatter",
            mode = "lines",
            name = "10-90 %",
            x = xs,
            y = high,
            fill = "tonexty",
            fillcolor = "rgba(128,128,128,0.25)",
            line = new { width = 0, color = ChartColors.Muted },
            hoverinfo = "skip",
        };
        yield return new
        {
            type = "scatter",
            mode = "lines",
            name = $"median of {trials.Count} trials",
            x = xs,
            y = median,
            customdata = counts,
            line = new { width = 2, color = ChartColors.Muted },
            hovertemplate = "%{x}: median %{y:.4f} over %{customdata} trials<extra></extra>",
        };
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }

    /// <summary>
    /// A cross where each pruned trial stopped (its reason on hover) and, on the sweep's own metric by epoch, a dotted
    /// line at each rung with a bar at its cut: the value a trial had to reach there to continue.
    /// </summary>
    private static void AddEarlyTermination(
        List<object> data, List<object> shapes, IReadOnlyList<TrialData> trials, EarlyTerminationView view, EpochSeries metric, bool byWallTime, bool cutsApply)
    {
        var stopped = view.Stops.Select(s => s.TrialId).ToHashSet(StringComparer.Ordinal);
        var stops = trials.Where(t => stopped.Contains(t.Record.Id) && t.Epochs.Count > 0).ToList();
        if (stops.Count > 0)
        {
            var points = stops.Select(t =>
            {
                var x = byWallTime ? TrialMetrics.CumulativeWallSeconds(t.Epochs)[^1] : t.Epochs[^1].Epoch;
                var y = metric.Value(t.Epochs[^1]);
                return (X: x, Y: double.IsFinite(y) ? y : (double?)null, Text: $"#{t.Record.Index} pruned: {t.Record.Reason}");
            }).ToList();
            data.Add(new
            {
                type = "scatter",
                mode = "markers",
                name = "pruned (stopped here)",
                x = points.Select(p => p.X).ToArray(),
                y = points.Select(p => p.Y).ToArray(),
                text = points.Select(p => p.Text).ToArray(),
                marker = new { symbol = "x", size = 10, color = ChartColors.Pruned },
                hovertemplate = "%{text}<extra></extra>",
            });
        }

        if (!cutsApply || view.Cuts.Count == 0)
        {
            return;
        }

        foreach (var epoch in view.Cuts.Select(c => c.Epoch).Distinct())
        {
            shapes.Add(new { type = "line", xref = "x", yref = "paper", x0 = epoch, x1 = epoch, y0 = 0, y1 = 1, line = new { color = ChartColors.Pruned, width = 1, dash = "dot" } });
        }

        data.Add(new
        {
            type = "scatter",
            mode = "markers",
            name = "rung cut",
            x = view.Cuts.Select(c => (double)c.Epoch).ToArray(),
            y = view.Cuts.Select(c => c.Cut).ToArray(),
            text = view.Cuts.Select(c => RungCutText(c, view)).ToArray(),
            marker = new { symbol = "line-ew-open", size = 26, color = ChartColors.Pruned, line = new { width = 3, color = ChartColors.Pruned } },
            hovertemplate = "%{text}<extra></extra>",
        });
    }

    public static string RungCutText(RungCut cut, EarlyTerminationView view) =>
        (view.Spec.Type == Core.EarlyTermination.EarlyTerminationType.Hyperband ? $"bracket {cut.Bracket} " : "")
        + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rung {cut.Rung} (epoch {cut.Epoch}): {cut.Kept} of {cut.Count} continue, cut {cut.Cut:G4}");

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
