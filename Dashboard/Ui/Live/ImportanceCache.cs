using System.Collections.Concurrent;
using Experiments.Core.Records;
using Experiments.Core.Search;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// Parameter importance per sweep, shared by the API and every open Sweep page: refitted only when the sweep's set of
/// completed trials changes (<see cref="SweepImportance.Key"/>), on the thread pool (a forest over 2,000 trials takes
/// seconds; a circuit's thread must not wait on it), and one fit at a time per sweep however many pages ask.
/// </summary>
public sealed class ImportanceCache
{
    /// <summary>Sweeps remembered; beyond this the cache starts over (a report is cheap to recompute once).</summary>
    private const int MaxSweeps = 64;

    private readonly ConcurrentDictionary<string, (string Key, Lazy<Task<ImportanceReport>> Report)> _reports = new(StringComparer.Ordinal);

    /// <param name="epochs">Reads the recorded epochs of the given (completed) trials; called only when a refit is needed.</param>
    public Task<ImportanceReport> GetAsync(
        SweepRecord sweep, IReadOnlyList<TrialRecord> trials, Func<IReadOnlyList<TrialRecord>, Task<IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>>>> epochs)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(epochs);
        var key = SweepImportance.Key(sweep, trials);
        if (_reports.TryGetValue(sweep.Id, out var cached) && cached.Key == key)
        {
            return cached.Report.Value;
        }

        if (_reports.Count >= MaxSweeps)
        {
            _reports.Clear();
        }

        var completed = trials.Where(t => t.Status == TrialStatus.Completed).ToArray();
        var report = new Lazy<Task<ImportanceReport>>(() => Task.Run(async () => SweepImportance.Compute(sweep, trials, await epochs(completed).ConfigureAwait(false))));
        var entry = _reports.AddOrUpdate(sweep.Id, _ => (key, report), (_, old) => old.Key == key ? old : (key, report));
        return entry.Report.Value;
    }
}
