using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>
/// How a trial scores on its sweep's metric: the best value over its epochs (never just the last one),
/// or its test accuracy when the sweep optimises <c>test_accuracy</c>.
/// </summary>
public sealed class SweepObjective
{
    private readonly Func<TrialData, double?> _score;

    private SweepObjective(MetricDefinition metric, bool maximize, Func<TrialData, double?> score)
    {
        Metric = metric;
        Maximize = maximize;
        _score = score;
    }

    /// <summary>What is optimised; it decides how scores are shown (<see cref="Charts.MetricFormat"/>).</summary>
    public MetricDefinition Metric { get; }

    public string Name => Metric.Name;
    public bool Maximize { get; }

    public static SweepObjective For(SweepMetric? metric)
    {
        var definition = MetricDefinition.Find(metric?.Name) ?? MetricDefinition.ValAccuracy;
        var maximize = metric?.Goal is { } goal
            ? !string.Equals(goal, "minimize", StringComparison.OrdinalIgnoreCase)
            : definition.HigherIsBetter;
        if (definition == MetricDefinition.TestAccuracy)
        {
            return new SweepObjective(definition, maximize, t => TrialMetrics.TestAccuracy(t.Record));
        }

        var series = EpochSeries.Find(definition.Name) ?? EpochSeries.ValAccuracy;
        return new SweepObjective(series.Metric, maximize, t => Best(t.Epochs.Select(series.Value), maximize));
    }

    public double? Score(TrialData trial) => _score(trial);

    /// <summary>True when <paramref name="a"/> beats <paramref name="b"/> (a missing score never wins).</summary>
    public bool Beats(double? a, double? b) => a is { } x && !double.IsNaN(x) && (b is not { } y || (Maximize ? x > y : x < y));

    private static double? Best(IEnumerable<double> values, bool maximize)
    {
        double? best = null;
        foreach (var v in values)
        {
            if (double.IsFinite(v) && (best is null || (maximize ? v > best : v < best)))
            {
                best = v;
            }
        }

        return best;
    }
}
