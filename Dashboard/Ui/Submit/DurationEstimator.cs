using Experiments.Dashboard.Ui.Models;
using Experiments.Core.Datasets;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Submit;

/// <summary>Estimates how long a plan trains, from the wall time per training image the workers measured.</summary>
public static class DurationEstimator
{
    /// <summary>
    /// What a trial costs besides its epochs: loading data, building the model, and the test evaluations at the end.
    /// Dominates tiny sweeps (a smoke trial is mostly this), negligible for real ones.
    /// </summary>
    public const double TrialOverheadSeconds = 3;

    public static DurationEstimate Estimate(SweepPlan plan, Throughput throughput)
    {
        var seconds = plan.Trials.Select(t => TrialOverheadSeconds + t.Config.Epochs * TrainingImages(t.Config) * throughput.SecondsPerImage).ToList();
        var mean = seconds.Count == 0 ? 0 : seconds.Sum() / seconds.Count;
        // tpe: the trials proposed later are like the ones known now (same base, other values): the budget at their mean.
        var total = plan.Search is { } search ? mean * search.TrialCount : seconds.Sum();
        return new DurationEstimate(TimeSpan.FromSeconds(total), TimeSpan.FromSeconds(mean), throughput);
    }

    /// <summary>Median seconds per training image over the recorded epochs of the given trials (epoch wall time covers validation too).</summary>
    public static Throughput Measure(IEnumerable<TrialData> trials)
    {
        var samples = trials
            .SelectMany(t => t.Epochs.Select(e => e.WallSeconds / Math.Max(1, TrainingImages(t.Record.Config))))
            .Where(s => double.IsFinite(s) && s > 0)
            .Order()
            .ToList();
        return samples.Count == 0 ? Throughput.Assumed : new Throughput(samples[samples.Count / 2], Measured: true);
    }

    public static int TrainingImages(TrainingConfig config) => Math.Max(1, DatasetCatalog.Split(config).Train);
}
