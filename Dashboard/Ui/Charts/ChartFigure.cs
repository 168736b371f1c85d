namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// A plotly figure built on the server: traces and layout as plain objects, serialised as they are named
/// (plotly's own attribute names). A new instance means "redraw"; the chart component pushes it throttled.
/// </summary>
public sealed record ChartFigure(IReadOnlyList<object> Data, object Layout);

/// <summary>A brushed range on one parallel-coordinates axis (index in the figure's dimensions).</summary>
public sealed record AxisConstraint(int Dimension, double[][] Ranges);
