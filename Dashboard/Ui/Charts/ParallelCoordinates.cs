using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// Parallel coordinates from each parameter to the sweep's metric. Categorical parameters become indexed
/// axes; brushing in the browser comes back as ranges per axis, which <see cref="Matches"/> applies to rows.
/// </summary>
public sealed class ParallelCoordinates
{
    private readonly IReadOnlyList<Axis> _axes;

    private ParallelCoordinates(IReadOnlyList<Axis> axes, ChartFigure figure)
    {
        _axes = axes;
        Figure = figure;
    }

    public ChartFigure Figure { get; }

    public static ParallelCoordinates Build(IReadOnlyList<TrialRow> rows, IReadOnlyList<string> keys, string metricTitle)
    {
        var axes = keys.Select(k => Axis.For(k, rows)).ToList();
        axes.Add(new Axis(metricTitle, r => r.Score, null));
        var scored = rows.Where(r => r.Score is not null).ToList();
        var dimensions = axes.Select(a => a.Dimension(scored)).ToArray();
        var data = new object[]
        {
            new
            {
                type = "parcoords",
                dimensions,
                line = new
                {
                    color = scored.Select(r => r.Score!.Value).ToArray(),
                    colorscale = "Viridis",
                    showscale = true,
                },
            },
        };
        return new ParallelCoordinates(axes, new ChartFigure(data, new { margin = new { l = 60, r = 60, t = 50, b = 30 } }));
    }

    /// <summary>True when the row lies inside a brushed range on every constrained axis.</summary>
    public bool Matches(TrialRow row, IReadOnlyList<AxisConstraint> constraints)
    {
        foreach (var constraint in constraints)
        {
            if (constraint.Dimension < 0 || constraint.Dimension >= _axes.Count || constraint.Ranges.Length == 0)
            {
                continue;
            }

            if (_axes[constraint.Dimension].Value(row) is not { } value
                || !constraint.Ranges.Any(r => r.Length == 2 && value >= Math.Min(r[0], r[1]) && value <= Math.Max(r[0], r[1])))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Axis(string Label, Func<TrialRow, double?> Value, IReadOnlyList<string>? Categories, bool Log10 = false)
    {
        public static Axis For(string key, IReadOnlyList<TrialRow> rows)
        {
            if (rows.All(r => r.NumericParameter(key) is not null))
            {
                // Parallel coordinates have no log axes: spreads over two decades or more are drawn as log10.
                var values = rows.Select(r => r.NumericParameter(key)!.Value).ToList();
                return values.Count > 0 && values.Min() > 0 && values.Max() / values.Min() >= 100
                    ? new Axis(key + " (log)", r => r.NumericParameter(key) is { } v ? Math.Log10(v) : null, null, Log10: true)
                    : new Axis(key, r => r.NumericParameter(key), null);
            }

            var categories = rows.Select(r => r.Parameter(key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var index = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (double)p.i, StringComparer.Ordinal);
            return new Axis(key, r => index.TryGetValue(r.Parameter(key), out var i) ? i : null, categories);
        }

        public object Dimension(IReadOnlyList<TrialRow> rows)
        {
            var values = rows.Select(Value).ToArray();
            if (Log10)
            {
                var decades = values.Where(v => v is not null).Select(v => v!.Value).ToList();
                var ticks = Enumerable.Range((int)Math.Floor(decades.Min()), (int)Math.Ceiling(decades.Max()) - (int)Math.Floor(decades.Min()) + 1).ToArray();
                return new { label = Label, values, tickvals = ticks, ticktext = ticks.Select(t => $"1e{t}").ToArray() };
            }

            if (Categories is null)
            {
                return new { label = Label, values };
            }

            return new
            {
                label = Label,
                values,
                tickvals = Enumerable.Range(0, Categories.Count).ToArray(),
                ticktext = Categories.Select(c => c.Length > 14 ? c[..14] : c).ToArray(),
                range = new[] { -0.25, Categories.Count - 0.75 },
            };
        }
    }
}
