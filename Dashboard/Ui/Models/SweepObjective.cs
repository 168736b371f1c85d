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

    private SweepObjective(string name, bool maximize, Func<TrialData, double?> score)
    {
        Name = name;
        Maximize = maximize;
        _score = score;
    }

    public string Name { get; }
    public bool Maximize { get; }

    public static SweepObjective For(SweepMetric? metric)
    {
        var name = (metric?.Name ?? "val_accuracy").ToLowerInvariant();
        var maximize = !string.Equals(metric?.Goal, "minimize", StringComparison.OrdinalIgnoreCase);
        if (name is "test_accuracy" or "test_acc")
        {
            return new SweepObjective(name, maximize, t => TrialMetrics.TestAccuracy(t.Record));
        }

        var series = EpochSeries.Find(name) ?? EpochSeries.ValAccuracy;
        return new SweepObjective(name, maximize, t => Best(t.Epochs.Select(series.Value), maximize));
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
