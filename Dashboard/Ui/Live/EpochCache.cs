using System.Collections.Concurrent;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Models;
using Experiments.Core.Records;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// Epochs per trial, re-read only when the trial recorded a new epoch or started a new attempt, so a
/// 2,000-trial sweep costs a read per changed trial per tick, not 2,000. Bounded: entries unused for 10 minutes go,
/// and beyond <see cref="MaxTrials"/> trials the least recently used go first (each holds at most
/// <c>SweepLimits.MaxEpochs</c> epochs, so the cache stays under ~MaxTrials x 500 epochs whatever users open).
/// </summary>
internal sealed class EpochCache(IDashboardStore store, TimeProvider time, int maxTrials = EpochCache.MaxTrials)
{
    /// <summary>Two of the largest sweeps (10,000 trials each) open at once.</summary>
    public const int MaxTrials = 20_000;

    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<TrialData>> WithEpochsAsync(IReadOnlyList<TrialRecord> trials, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = new TrialData[trials.Count];
        var reads = new List<Task>();
        for (var i = 0; i < trials.Count; i++)
        {
            var trial = trials[i];
            if (_entries.TryGetValue(trial.Id, out var entry) && entry.LastEpoch == trial.LastEpoch && entry.Attempt == trial.Attempt)
            {
                _entries[trial.Id] = entry with { Used = now };
                result[i] = new TrialData(trial, entry.Epochs);
            }
            else
            {
                reads.Add(FillAsync(i, trial));
            }
        }

        // The store pipelines these concurrent reads over one connection.
        await Task.WhenAll(reads).ConfigureAwait(false);
        return result;

        async Task FillAsync(int index, TrialRecord trial) =>
            result[index] = new TrialData(trial, await ReadAsync(trial, now, cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<EpochMetrics>> ReadAsync(TrialRecord trial, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var epochs = await store.GetEpochsAsync(trial.Id, cancellationToken).ConfigureAwait(false);
        _entries[trial.Id] = new Entry(trial.LastEpoch, trial.Attempt, epochs, now);
        return epochs;
    }

    public int Count => _entries.Count;

    public void Evict()
    {
        var cutoff = time.GetUtcNow() - Unused;
        foreach (var (id, entry) in _entries)
        {
            if (entry.Used < cutoff)
            {
                _entries.TryRemove(id, out _);
            }
        }

        var excess = _entries.Count - maxTrials;
        if (excess > 0)
        {
            foreach (var (id, _) in _entries.ToArray().OrderBy(e => e.Value.Used).Take(excess))
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private sealed record Entry(int LastEpoch, int Attempt, IReadOnlyList<EpochMetrics> Epochs, DateTimeOffset Used);
}
