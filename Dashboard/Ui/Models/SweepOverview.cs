using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Charts;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>
/// The Sweep page's summary, ranked and formatted here so the page only binds: the best trial with its score and its
/// lead over the runner-up, the best configuration over seeds, and the status counts behind the action buttons.
/// </summary>
public sealed record SweepOverview(
    TrialRow? Best,
    string? BestScore,
    string? Lead,
    SeedGroup? BestGroup,
    string? BestGroupScore,
    IReadOnlyDictionary<TrialStatus, int> Counts)
{
    public int Failed => Counts.GetValueOrDefault(TrialStatus.Failed);

    /// <summary>Trials a cancel would still reach: queued or running.</summary>
    public int Active => Counts.GetValueOrDefault(TrialStatus.Queued) + Counts.GetValueOrDefault(TrialStatus.Running);

    public static SweepOverview Build(SweepTable table, IReadOnlyList<SeedGroup> groups)
    {
        var metric = table.Objective.Metric;
        var best = table.Rows.FirstOrDefault(r => r.Id == table.BestTrialId);
        var group = groups.Count > 0 && groups[0].Score is { Count: > 1 } ? groups[0] : null;
        return new SweepOverview(
            best,
            best is null ? null : MetricFormat.WithUnit(metric, best.Score),
            best is null ? null : LeadOver(table, best),
            group,
            group is null ? null : MetricFormat.Spread(metric, group.Score) + MetricFormat.Unit(metric),
            table.Rows.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count()));
    }

    /// <summary>By how much the best trial beats the runner-up on the sweep's metric; null without a runner-up.</summary>
    private static string? LeadOver(SweepTable table, TrialRow best)
    {
        if (best.Score is not { } score)
        {
            return null;
        }

        double? runnerUp = null;
        foreach (var row in table.Rows)
        {
            if (row.Id != best.Id && table.Objective.Beats(row.Score, runnerUp))
            {
                runnerUp = row.Score;
            }
        }

        return runnerUp is { } next ? "ahead of the next by " + MetricFormat.Difference(table.Objective.Metric, Math.Abs(score - next), score) : null;
    }
}
