using System.Text.Json.Serialization;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Charts;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>
/// A sweep's time to accuracy: how many of its trials reached <c>metric.target</c> and which got there fastest (least
/// training time, then fewest epochs). The API's sweep details and the Sweep page's card both show this.
/// </summary>
/// <param name="Goal">The target as a condition, e.g. <c>val_accuracy ≥ 85 %</c>.</param>
public sealed record TimeToTarget(
    string Metric,
    string Goal,
    double Target,
    int Reached,
    int Trials,
    string? FastestTrialId,
    int? FastestEpoch,
    double? FastestSeconds)
{
    /// <summary>The summary of these trials; null when the sweep has no target.</summary>
    public static TimeToTarget? Of(SweepMetric metric, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(trials);
        if (metric.Target is not { } target)
        {
            return null;
        }

        var fastest = trials.Where(t => t.Target is not null)
            .OrderBy(t => t.Target!.Seconds).ThenBy(t => t.Target!.Epoch).ThenBy(t => t.Index)
            .FirstOrDefault();
        return new TimeToTarget(
            metric.Name, Condition(metric), target, trials.Count(t => t.Target is not null), trials.Count,
            fastest?.Id, fastest?.Target!.Epoch, fastest?.Target!.Seconds);
    }

    /// <summary>The fastest trial's time, for the card; null when none reached the target yet.</summary>
    [JsonIgnore]
    public TimeSpan? FastestTime => FastestSeconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary><c>val_accuracy ≥ 85 %</c> or <c>val_loss ≤ 0.5</c>: what reaching the target means.</summary>
    public static string Condition(SweepMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var definition = MetricDefinition.Find(metric.Name) ?? MetricDefinition.ValAccuracy;
        var sign = metric.Goal == "minimize" ? "≤" : "≥";
        return $"{metric.Name} {sign} {MetricFormat.WithUnit(definition, metric.Target)}";
    }

    /// <summary>How a trial's time to target reads in tables: <c>1m 20s (epoch 3)</c>, or "—" when not reached.</summary>
    public static string Text(TargetReached? reached) =>
        reached is null ? "—" : $"{MetricFormat.Duration(TimeSpan.FromSeconds(reached.Seconds))} (epoch {reached.Epoch})";
}
