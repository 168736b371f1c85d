using System.Globalization;
using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Charts;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>How the pages word progress inside an epoch and across a sweep.</summary>
public static class ProgressFormat
{
    /// <summary>A CSS width for a bar showing <paramref name="fraction"/> (0 to 1).</summary>
    public static string Width(double fraction) => (Math.Clamp(fraction, 0, 1) * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>e.g. <c>42% done · ETA 5m 10s</c>.</summary>
    public static string Sweep(SweepProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.Fraction * 100:0}% done") + (progress.Eta is { } eta ? " · ETA " + MetricFormat.Duration(eta) : "");

    /// <summary>e.g. <c>epoch 3/10 · batch 120/351 · loss 1.2345 · 412 img/s</c>.</summary>
    public static string Batches(TrialProgress progress) =>
        string.Create(CultureInfo.InvariantCulture,
            $"epoch {progress.Epoch}/{progress.Epochs} · batch {progress.Batch}/{progress.Batches} · loss {progress.Loss:0.0000} · {progress.ImagesPerSecond:0} img/s");

    /// <summary>e.g. <c>epoch ends in 34s · trial in 5m 40s</c>; empty before the first batch.</summary>
    public static string Eta(TrialProgress progress, TimeSpan? trialEta) =>
        progress.EpochRemaining is { } epoch
            ? "epoch ends in " + MetricFormat.Duration(epoch) + (trialEta is { } trial ? " · trial in " + MetricFormat.Duration(trial) : "")
            : "";
}
