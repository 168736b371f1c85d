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

    /// <summary>
    /// Remaining time of a running trial, null otherwise: with in-epoch progress, the rest of this epoch at its pace
    /// plus each remaining epoch at the mean recorded epoch's wall time (training pace before any epoch was recorded);
    /// without, the remaining epochs at their mean duration so far.
    /// </summary>
    public static TimeSpan? Eta(TrialRecord trial, IReadOnlyList<EpochMetrics> epochs)
    {
        if (trial.Status != TrialStatus.Running)
        {
            return null;
        }

        double? meanEpoch = epochs.Count == 0 ? null : epochs.Average(e => e.WallSeconds);
        if (trial.Progress?.Remaining(meanEpoch) is { } remaining)
        {
            return remaining;
        }

        return meanEpoch is { } mean ? TimeSpan.FromSeconds(mean * Math.Max(0, trial.Config.Epochs - epochs.Count)) : null;
    }

    public static double? MeanImagesPerSecond(IReadOnlyList<EpochMetrics> epochs) =>
        epochs.Count == 0 ? null : epochs.Average(e => e.ImagesPerSecond);
}
