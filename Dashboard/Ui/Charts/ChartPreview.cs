using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// A static SVG picture of a figure's line and marker traces, sent in the page's first HTML: the curves are on screen
/// as soon as the page is, instead of after the circuit connects and plotly draws (about a second on a busy machine,
/// the same at any sweep size). Plotly replaces it when it has drawn. Other trace types (heatmap, parcoords) have no
/// preview: <see cref="Build"/> returns null and the chart appears when plotly draws it.
/// </summary>
public sealed record ChartPreview(string Svg, string YMin, string YMax, string XMin, string XMax)
{
    /// <summary>The plot area's coordinates (stretched to the chart's box; strokes keep their width).</summary>
    private const double Size = 1000;

    public static ChartPreview? Build(ChartFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var data = JsonSerializer.SerializeToElement(figure.Data);
        var layout = JsonSerializer.SerializeToElement(figure.Layout);
        var xLog = AxisType(layout, "xaxis") == "log";
        var yLog = AxisType(layout, "yaxis") == "log";
        var traces = new List<Trace>();
        foreach (var trace in data.EnumerateArray())
        {
            if (Text(trace, "type") is not (null or "scatter" or "scattergl"))
            {
                return null;
            }

            traces.Add(Trace.Read(trace, xLog, yLog));
        }

        var points = traces.SelectMany(t => t.Points).Where(p => p is not null).Select(p => p!.Value).ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var (xMin, xMax) = Padded(points.Min(p => p.X), points.Max(p => p.X), 0);
        // A range the figure sets (e.g. fitted to the trials that did not diverge) is kept: the svg clips what leaves it.
        var (yMin, yMax) = AxisRange(layout, "yaxis") ?? Padded(points.Min(p => p.Y), points.Max(p => p.Y), 0.05);
        double X(double x) => (x - xMin) / (xMax - xMin) * Size;
        double Y(double y) => Size - ((y - yMin) / (yMax - yMin) * Size);

        var svg = new StringBuilder();
        Trace? previous = null;
        foreach (var trace in traces)
        {
            if (trace.Fill == "tonexty" && previous is not null)
            {
                var edge = previous.Points.Where(p => p is not null).Select(p => p!.Value)
                    .Concat(trace.Points.Where(p => p is not null).Select(p => p!.Value).Reverse());
                svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{Join(edge, X, Y)}\" fill=\"{Escape(trace.FillColor ?? "rgba(128,128,128,0.25)")}\" stroke=\"none\"/>");
            }

            if (trace.Lines && trace.LineWidth > 0)
            {
                foreach (var run in trace.Runs())
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{Join(run, X, Y)}\" fill=\"none\" stroke=\"{Escape(trace.Color)}\" stroke-width=\"{trace.LineWidth}\" vector-effect=\"non-scaling-stroke\"/>");
                }
            }

            if (trace.Markers)
            {
                foreach (var point in trace.Points.Where(p => p is not null).Select(p => p!.Value))
                {
                    // A zero-length round-capped line: a dot that stays round however the box is stretched.
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(point.X):0.#}\" y1=\"{Y(point.Y):0.#}\" x2=\"{X(point.X):0.#}\" y2=\"{Y(point.Y):0.#}\" stroke=\"{Escape(trace.Color)}\" stroke-width=\"{trace.MarkerSize}\" stroke-linecap=\"round\" vector-effect=\"non-scaling-stroke\"/>");
                }
            }

            previous = trace;
        }

        return new ChartPreview(svg.ToString(), Label(yMin, yLog), Label(yMax, yLog), Label(xMin, xLog), Label(xMax, xLog));
    }

    private static string Join(IEnumerable<(double X, double Y)> points, Func<double, double> x, Func<double, double> y) =>
        string.Join(" ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{x(p.X):0.#},{y(p.Y):0.#}")));

    private static (double Min, double Max) Padded(double min, double max, double fraction)
    {
        if (max <= min)
        {
            return (min - 1, max + 1);
        }

        var pad = (max - min) * fraction;
        return (min - pad, max + pad);
    }

    private static string Label(double value, bool log) => MetricFormat.Number(log ? Math.Pow(10, value) : value, "G3");

    private static (double Min, double Max)? AxisRange(JsonElement layout, string axis)
    {
        if (layout.ValueKind != JsonValueKind.Object || !layout.TryGetProperty(axis, out var a) || a.ValueKind != JsonValueKind.Object
            || !a.TryGetProperty("range", out var range) || range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2
            || range[0].ValueKind != JsonValueKind.Number || range[1].ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        // Plotly gives a log axis's range in log10 units already, as the preview's points are.
        var (min, max) = (range[0].GetDouble(), range[1].GetDouble());
        return max > min ? (min, max) : null;
    }

    private static string? AxisType(JsonElement layout, string axis) =>
        layout.ValueKind == JsonValueKind.Object && layout.TryGetProperty(axis, out var a) && a.ValueKind == JsonValueKind.Object ? Text(a, "type") : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    private sealed record Trace(IReadOnlyList<(double X, double Y)?> Points, bool Lines, bool Markers, string Color, double LineWidth, double MarkerSize, string? Fill, string? FillColor)
    {
        public static Trace Read(JsonElement trace, bool xLog, bool yLog)
        {
            var mode = Text(trace, "mode") ?? "lines";
            var line = trace.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            var marker = trace.TryGetProperty("marker", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            var color = (line.ValueKind == JsonValueKind.Object ? Text(line, "color") : null)
                ?? (marker.ValueKind == JsonValueKind.Object ? Text(marker, "color") : null)
                ?? ChartColors.Accent;
            var width = line.ValueKind == JsonValueKind.Object && line.TryGetProperty("width", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDouble() : 2;
            var size = marker.ValueKind == JsonValueKind.Object && marker.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 6;
            var xs = Numbers(trace, "x");
            var ys = Numbers(trace, "y");
            var points = new List<(double X, double Y)?>();
            for (var i = 0; i < Math.Min(xs.Count, ys.Count); i++)
            {
                var x = xs[i] is { } xv && (!xLog || xv > 0) ? (xLog ? Math.Log10(xv) : xv) : (double?)null;
                var y = ys[i] is { } yv && (!yLog || yv > 0) ? (yLog ? Math.Log10(yv) : yv) : (double?)null;
                points.Add(x is not null && y is not null ? (x.Value, y.Value) : null);
            }

            return new Trace(points, mode.Contains("lines", StringComparison.Ordinal), mode.Contains("markers", StringComparison.Ordinal),
                color, width, size, Text(trace, "fill"), Text(trace, "fillcolor"));
        }

        /// <summary>The unbroken runs of the line: a missing point ends one (plotly's gaps between trials).</summary>
        public IEnumerable<List<(double X, double Y)>> Runs()
        {
            var run = new List<(double X, double Y)>();
            foreach (var point in Points)
            {
                if (point is { } p)
                {
                    run.Add(p);
                }
                else if (run.Count > 0)
                {
                    yield return run;
                    run = [];
                }
            }

            if (run.Count > 0)
            {
                yield return run;
            }
        }

        private static List<double?> Numbers(JsonElement trace, string name)
        {
            if (!trace.TryGetProperty(name, out var values) || values.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()) ? v.GetDouble() : (double?)null)];
        }
    }
}
