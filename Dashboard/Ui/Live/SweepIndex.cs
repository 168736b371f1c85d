using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Models;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// Every sweep's summary (name, method, created, status counts: no source, no trials), kept in memory and brought up to
/// date by what changed, so the Sweeps list costs the same per second at 1,000 sweeps as at 10. A refresh reads the
/// sweep count (new submits), then the summaries of active sweeps (queued or running trials) and of sweeps named by a
/// change (a requeue publishes the trial's id); a finished sweep is not read again until then. After a reconnect
/// (messages may have been missed) everything is read once. Best metric and duration need the trials: they are
/// filled in only for the lines a page shows, and for a sweep only again once its status counts moved.
/// </summary>
internal sealed class SweepIndex(IDashboardStore store, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _order = [];
    private long _count = -1;
    private bool _allChanged = true;

    /// <summary>A sweep (or a trial's sweep) changed; null: anything may have changed.</summary>
    public void MarkChanged(string? id)
    {
        lock (_gate)
        {
            if (id is null)
            {
                _allChanged = true;
            }
            else if (StoreIds.IsSweepId(id))
            {
                _changed.Add(id);
            }
            else if (StoreIds.TryGetSweepId(id, out var sweepId))
            {
                _changed.Add(sweepId);
            }
            else
            {
                _changed.Add(id);
            }
        }
    }

    /// <summary>Every sweep, newest first, reading only what may have changed since the last call.</summary>
    public async Task<IReadOnlyList<SweepListItem>> ReadAsync(CancellationToken cancellationToken)
    {
        bool all;
        string[] changed;
        lock (_gate)
        {
            all = _allChanged;
            changed = [.. _changed];
            _allChanged = false;
            _changed.Clear();
        }

        try
        {
            var count = await store.CountSweepsAsync(cancellationToken).ConfigureAwait(false);
            var order = all || count != _count ? await store.ListSweepIdsAsync(cancellationToken).ConfigureAwait(false) : _order;
            List<string> toRead;
            lock (_gate)
            {
                var named = changed.ToHashSet(StringComparer.Ordinal);
                toRead = [.. order.Where(id => all || named.Contains(id) || !_entries.TryGetValue(id, out var entry) || entry.Item.Active)];
            }

            var summaries = toRead.Count == 0 ? [] : await store.GetSweepSummariesAsync(toRead, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                // A sweep read but not found is gone (deleted): it leaves the list even before it leaves the store's index.
                foreach (var gone in toRead.Except(summaries.Select(s => s.Sweep.Id), StringComparer.Ordinal))
                {
                    _entries.Remove(gone);
                }

                foreach (var summary in summaries)
                {
                    var id = summary.Sweep.Id;
                    _entries[id] = _entries.TryGetValue(id, out var old)
                        ? old with { Item = old.Item with { Summary = summary } }
                        : new Entry(new SweepListItem(summary, null, null), null);
                }

                _order = order;
                _count = count;
                return [.. order.Where(_entries.ContainsKey).Select(id => _entries[id].Item)];
            }
        }
        catch
        {
            // Nothing read is lost: what was marked changed is read again next time.
            lock (_gate)
            {
                _allChanged |= all;
                _changed.UnionWith(changed);
            }

            throw;
        }
    }

    /// <summary>
    /// These lines with their best metric and duration: computed from the trials when first shown and again only
    /// after the sweep's status counts moved, so paging through finished sweeps reads each once.
    /// </summary>
    public async Task<IReadOnlyList<SweepListItem>> FillAsync(IReadOnlyList<SweepListItem> items, EpochCache epochs, CancellationToken cancellationToken)
    {
        var result = new SweepListItem[items.Count];
        await Task.WhenAll(items.Select(async (item, i) => result[i] = await FillOneAsync(item, epochs, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        return result;
    }

    private async Task<SweepListItem> FillOneAsync(SweepListItem item, EpochCache epochs, CancellationToken cancellationToken)
    {
        var id = item.Summary.Sweep.Id;
        var counts = CountsKey(item.Summary);
        lock (_gate)
        {
            if (_entries.TryGetValue(id, out var entry) && entry.FilledFor == counts)
            {
                return entry.Item.Active ? entry.Item with { Duration = entry.Started is { } started ? time.GetUtcNow() - started : null } : entry.Item;
            }
        }

        var trials = await store.GetTrialsAsync(id, cancellationToken).ConfigureAwait(false);
        var data = await epochs.WithEpochsAsync(trials, cancellationToken).ConfigureAwait(false);
        var objective = SweepObjective.For(item.Summary.Sweep.Metric);
        double? best = null;
        foreach (var trial in data)
        {
            var score = objective.Score(trial);
            if (objective.Beats(score, best))
            {
                best = score;
            }
        }

        var starts = trials.Where(t => t.StartedAt is not null).Select(t => t.StartedAt!.Value).ToList();
        DateTimeOffset? start = starts.Count == 0 ? null : starts.Min();
        var end = item.Active ? time.GetUtcNow() : trials.Max(t => t.EndedAt ?? t.StartedAt ?? DateTimeOffset.MinValue);
        var filled = item with { BestMetric = best, Duration = start is { } s ? end - s : null };
        lock (_gate)
        {
            _entries[id] = new Entry(filled, counts, start);
        }

        return filled;
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

    /// <param name="FilledFor">The status counts the best metric and duration were computed at; null before.</param>
    private sealed record Entry(SweepListItem Item, long? FilledFor, DateTimeOffset? Started = null);
}
