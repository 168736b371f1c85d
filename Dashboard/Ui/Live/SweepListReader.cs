using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Models;
using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// Builds the sweeps list with each sweep's best metric and duration. A sweep's trials are re-read only when
/// its status counts change, so finished sweeps cost nothing after the first read.
/// </summary>
internal sealed class SweepListReader(IDashboardStore store, TimeProvider time)
{
    private readonly Dictionary<string, (long Counts, SweepListItem Item)> _finished = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<IReadOnlyList<SweepListItem>> ReadAsync(EpochCache epochs, CancellationToken cancellationToken)
    {
        var summaries = await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
        var items = await Task.WhenAll(summaries.Select(s => ItemAsync(s, epochs, cancellationToken))).ConfigureAwait(false);
        return items;
    }

    private async Task<SweepListItem> ItemAsync(SweepSummary summary, EpochCache epochs, CancellationToken cancellationToken)
    {
        var counts = CountsKey(summary);
        lock (_gate)
        {
            if (_finished.TryGetValue(summary.Sweep.Id, out var cached) && cached.Counts == counts)
            {
                return cached.Item with { Summary = summary };
            }
        }

        var trials = await store.GetTrialsAsync(summary.Sweep.Id, cancellationToken).ConfigureAwait(false);
        var data = await epochs.WithEpochsAsync(trials, cancellationToken).ConfigureAwait(false);
        var objective = SweepObjective.For(summary.Sweep.Metric);
        double? best = null;
        foreach (var trial in data)
        {
            var score = objective.Score(trial);
            if (objective.Beats(score, best))
            {
                best = score;
            }
        }

        var item = new SweepListItem(summary, best, Duration(trials));
        var active = summary.StatusCounts.GetValueOrDefault(TrialStatus.Running) + summary.StatusCounts.GetValueOrDefault(TrialStatus.Queued);
        if (active == 0)
        {
            lock (_gate)
            {
                _finished[summary.Sweep.Id] = (counts, item);
            }
        }

        return item;
    }

    private TimeSpan? Duration(IReadOnlyList<TrialRecord> trials)
    {
        var starts = trials.Where(t => t.StartedAt is not null).Select(t => t.StartedAt!.Value).ToList();
        if (starts.Count == 0)
        {
            return null;
        }

        var stillRunning = trials.Any(t => t.Status is TrialStatus.Running or TrialStatus.Queued);
        var end = stillRunning ? time.GetUtcNow() : trials.Max(t => t.EndedAt ?? t.StartedAt ?? DateTimeOffset.MinValue);
        return end - starts.Min();
    }

    private static long CountsKey(SweepSummary summary)
    {
        var hash = new HashCode();
        foreach (var (status, count) in summary.StatusCounts.OrderBy(p => p.Key))
        {
            hash.Add(status);
            hash.Add(count);
        }

        return hash.ToHashCode();
    }
}
