using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>Figures derived from one trial's record and epochs.</summary>
public static class TrialMetrics
{
    /// <summary>The test evaluation shown in tables: the best checkpoint's when kept, else the latest one.</summary>
    public static EvaluationReport? HeadlineEvaluation(TrialRecord trial) =>
        trial.Evaluations.FirstOrDefault(e => e.Checkpoint.Contains("best", StringComparison.OrdinalIgnoreCase))
        ?? trial.Evaluations.LastOrDefault();

    public static double? TestAccuracy(TrialRecord trial) => HeadlineEvaluation(trial)?.Accuracy;

    /// <summary>Training wall time: the sum of the recorded epochs' durations (retries do not double count).</summary>
    public static TimeSpan WallTime(IReadOnlyList<EpochMetrics> epochs) => TimeSpan.FromSeconds(epochs.Sum(e => e.WallSeconds));

    /// <summary>Cumulative wall seconds at the end of each epoch, for the x = wall time axis.</summary>
    public static double[] CumulativeWallSeconds(IReadOnlyList<EpochMetrics> epochs)
    {
        var result = new double[epochs.Count];
        var total = 0.0;
        for (var i = 0; i < epochs.Count; i++)
        {
            total += epochs[i].WallSeconds;
            result[i] = total;
        }

        return result;
    }

    /// <summary>Remaining time of a running trial from its mean epoch duration so far; null otherwise.</summary>
    public static TimeSpan? Eta(TrialRecord trial, IReadOnlyList<EpochMetrics> epochs)
    {
        if (trial.Status != TrialStatus.Running || epochs.Count == 0)
        {
            return null;
        }

        var remaining = Math.Max(0, trial.Config.Epochs - epochs.Count);
        return TimeSpan.FromSeconds(epochs.Average(e => e.WallSeconds) * remaining);
    }

    public static double? MeanImagesPerSecond(IReadOnlyList<EpochMetrics> epochs) =>
        epochs.Count == 0 ? null : epochs.Average(e => e.ImagesPerSecond);
}
