using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>One trial's figures: train and validation curves (with the test results of evaluated checkpoints), and a confusion-matrix heat map.</summary>
public static class TrialCharts
{
    /// <param name="evaluations">Test results: each a marker at its checkpoint's epoch, as in the notebook's train/val/test plot.</param>
    public static ChartFigure Curves(IReadOnlyList<EpochMetrics> epochs, bool accuracy, IReadOnlyList<EvaluationReport>? evaluations = null)
    {
        var x = epochs.Select(e => e.Epoch).ToArray();
        object Line(string name, Func<EpochMetrics, double> value, string color) => new
        {
            type = "scatter",
            mode = epochs.Count > 60 ? "lines" : "lines+markers",
            name,
            x,
            y = epochs.Select(e => Finite(value(e))).ToArray(),
            line = new { color, width = 2 },
            marker = new { size = 5 },
        };

        var data = accuracy
            ? new[] { Line("train accuracy", e => e.TrainAccuracy, ChartColors.Train), Line("val accuracy", e => e.ValAccuracy, ChartColors.Validation) }
            : new[] { Line("train loss", e => e.TrainLoss, ChartColors.Train), Line("val loss", e => e.ValLoss, ChartColors.Validation) };
        if (evaluations is { Count: > 0 })
            data = [.. data, TestMarks(evaluations, accuracy)];
        var layout = new
        {
            hovermode = "x unified",
            legend = new { orientation = "h", y = 1.12 },
            xaxis = new { title = new { text = "epoch" }, dtick = epochs.Count <= 20 ? 1 : (int?)null },
            yaxis = new { title = new { text = accuracy ? "accuracy" : "loss" } },
        };
        return new ChartFigure(data, layout);
    }

    public static ChartFigure Confusion(EvaluationReport report)
    {
        var names = report.PerClass.Count == report.ConfusionMatrix.Count
            ? report.PerClass.Select(c => c.Name).ToArray()
            : Enumerable.Range(0, report.ConfusionMatrix.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var data = new object[]
        {
            new
            {
                type = "heatmap",
                z = report.ConfusionMatrix,
                x = names,
                y = names,
                colorscale = "Blues",
                reversescale = true,
                texttemplate = "%{z}",
                hovertemplate = "true %{y}<br>predicted %{x}<br>%{z}<extra></extra>",
            },
        };
        var layout = new
        {
            xaxis = new { title = new { text = "predicted" }, type = "category", side = "bottom" },
            yaxis = new { title = new { text = "true" }, type = "category", autorange = "reversed" },
            margin = new { l = 90, b = 80 },
        };
        return new ChartFigure(data, layout);
    }

    // Best and last of the same epoch are the same weights, so the same result: one mark named for both.
    private static object TestMarks(IReadOnlyList<EvaluationReport> evaluations, bool accuracy)
    {
        var marks = evaluations.GroupBy(e => e.Epoch).Select(g => (Epoch: g.Key, Report: g.First(), Names: string.Join(", ", g.Select(e => e.Checkpoint)))).ToList();
        return TestMarks(marks, accuracy);
    }

    private static object TestMarks(List<(int Epoch, EvaluationReport Report, string Names)> marks, bool accuracy) => new
    {
        type = "scatter",
        mode = "markers+text",
        name = accuracy ? "test accuracy" : "test loss",
        x = marks.Select(m => m.Epoch).ToArray(),
        y = marks.Select(m => Finite(accuracy ? m.Report.Accuracy : m.Report.Loss)).ToArray(),
        text = marks.Select(m => m.Names).ToArray(),
        textposition = "top center",
        marker = new { color = ChartColors.Test, size = 11, symbol = "star" },
        hovertemplate = "test (%{text}, epoch %{x}): %{y:.4f}<extra></extra>",
    };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
