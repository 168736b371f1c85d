using System.Runtime.CompilerServices;
using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>A sweep's trials as table rows, with the parameter keys (all and varying) and the best trial.</summary>
public sealed record SweepTable(
    IReadOnlyList<TrialRow> Rows,
    IReadOnlyList<string> AllKeys,
    IReadOnlyList<string> VaryingKeys,
    string? BestTrialId,
    SweepObjective Objective)
{
    /// <summary>The sweep's time to accuracy (how many reached <c>metric.target</c>, the fastest); null without a target.</summary>
    public TimeToTarget? TimeToTarget { get; init; }

    /// <summary>Rows already made from a trial's data: the live feed keeps a trial's <see cref="TrialData"/> while it does not change.</summary>
    private static readonly ConditionalWeakTable<TrialData, CachedRow> MadeRows = [];

    public static SweepTable Build(SweepSnapshot snapshot)
    {
        var objective = SweepObjective.For(snapshot.Sweep.Metric);
        var rows = snapshot.Trials.Select(t => CachedToRow(t, objective)).ToList();
        return FromRows(rows, objective) with { TimeToTarget = TimeToTarget.Of(snapshot.Sweep.Metric, [.. snapshot.Trials.Select(t => t.Record)]) };
    }

    private static TrialRow CachedToRow(TrialData trial, SweepObjective objective)
    {
        // A running trial's ETA is the only time-dependent figure; it changes with its epochs and progress reports,
        // each of which is read into a new record (and so a new TrialData).
        if (MadeRows.TryGetValue(trial, out var cached) && cached.Metric == objective.Metric && cached.Maximize == objective.Maximize)
        {
            return cached.Row;
        }

        var row = ToRow(trial, objective);
        MadeRows.AddOrUpdate(trial, new CachedRow(objective.Metric, objective.Maximize, row));
        return row;
    }

    private sealed record CachedRow(MetricDefinition Metric, bool Maximize, TrialRow Row);

    public static SweepTable FromRows(IReadOnlyList<TrialRow> rows, SweepObjective objective)
    {
        var parameterSets = rows.Select(r => r.Parameters).ToList();
        var format = Charts.ParameterFormat.Of(parameterSets);
        rows = [.. rows.Select(r => r with { Format = format })];
        string? best = null;
        double? bestScore = null;
        foreach (var row in rows)
        {
            if (objective.Beats(row.Score, bestScore))
            {
                best = row.Id;
                bestScore = row.Score;
            }
        }

        return new SweepTable(rows, VaryingParameters.AllKeys(parameterSets), VaryingParameters.Find(parameterSets), best, objective);
    }

    public static TrialRow ToRow(TrialData trial, SweepObjective objective)
    {
        var record = trial.Record;
        var epochs = trial.Epochs;
        double? bestVal = epochs.Count == 0 ? null : epochs.Max(e => e.ValAccuracy);
        double? lastVal = epochs.Count == 0 ? null : epochs[^1].ValAccuracy;
        return new TrialRow(
            record.Id,
            record.Index,
            record.Parameters,
            record.Config.Seed,
            record.Status,
            record.Attempt,
            epochs.Count,
            record.Config.Epochs,
            TrialMetrics.Eta(record, epochs),
            bestVal,
            lastVal,
            TrialMetrics.TestAccuracy(record),
            TrialMetrics.MeanImagesPerSecond(epochs),
            TrialMetrics.WallTime(epochs),
            objective.Score(trial),
            record.Reason)
        {
            Target = record.Target,
            Batches = record.Progress,
        };
    }

    public int Count(TrialStatus status) => Rows.Count(r => r.Status == status);
}
