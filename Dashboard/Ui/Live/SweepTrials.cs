using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Data;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// One sweep's trial records, re-read by what can have changed rather than whole, so watching a 10,000-trial sweep
/// costs per second its summary and its running trials: running trials always (epochs, cancel flags); queued ones once
/// the status counts moved (some were claimed or cancelled); a trial a change names (a requeue). A final status count
/// that went down (a requeue, however it was made) or a reconnect reads everything again, as does a first read.
/// </summary>
internal sealed class SweepTrials(IDashboardStore store, string sweepId)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _named = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<TrialStatus, int>? _counts;
    private TrialRecord[]? _trials;
    private bool _all = true;

    public void MarkChanged(string? trialId)
    {
        lock (_gate)
        {
            if (trialId is null)
            {
                _all = true;
            }
            else
            {
                _named.Add(trialId);
            }
        }
    }

    /// <summary>The sweep (without its source) and every trial in index order; null when there is no such sweep.</summary>
    public async Task<(SweepRecord Sweep, IReadOnlyList<TrialRecord> Trials)?> ReadAsync(CancellationToken cancellationToken)
    {
        bool all;
        string[] named;
        TrialRecord[]? previous;
        IReadOnlyDictionary<TrialStatus, int>? previousCounts;
        lock (_gate)
        {
            (all, named, previous, previousCounts) = (_all, [.. _named], _trials, _counts);
            _all = false;
            _named.Clear();
        }

        try
        {
            var summary = (await store.GetSweepSummariesAsync([sweepId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();
            if (summary is null)
            {
                return null;
            }

            TrialRecord[] trials;
            if (all || previous is null || previousCounts is null || previous.Length != summary.Sweep.TrialIds.Count || FinalCountWentDown(previousCounts, summary.StatusCounts))
            {
                trials = [.. await store.GetTrialsAsync(sweepId, cancellationToken).ConfigureAwait(false)];
            }
            else
            {
                var countsMoved = !previousCounts.OrderBy(p => p.Key).SequenceEqual(summary.StatusCounts.OrderBy(p => p.Key));
                var names = named.ToHashSet(StringComparer.Ordinal);
                var stale = previous
                    .Where(t => t.Status == TrialStatus.Running || (countsMoved && t.Status == TrialStatus.Queued) || names.Contains(t.Id))
                    .Select(t => t.Id)
                    .ToList();
                trials = previous;
                if (stale.Count > 0)
                {
                    trials = [.. previous];
                    var fresh = (await store.GetTrialsAsync(stale, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal);
                    for (var i = 0; i < trials.Length; i++)
                    {
                        if (fresh.TryGetValue(trials[i].Id, out var record))
                        {
                            trials[i] = record;
                        }
                    }
                }
            }

            lock (_gate)
            {
                _trials = trials;
                _counts = summary.StatusCounts;
            }

            return (summary.Sweep, trials);
        }
        catch
        {
            lock (_gate)
            {
                _all |= all;
                _named.UnionWith(named);
            }

            throw;
        }
    }

    private static bool FinalCountWentDown(IReadOnlyDictionary<TrialStatus, int> before, IReadOnlyDictionary<TrialStatus, int> after) =>
        before.Any(p => p.Key is not (TrialStatus.Queued or TrialStatus.Running) && after.GetValueOrDefault(p.Key) < p.Value);
}
