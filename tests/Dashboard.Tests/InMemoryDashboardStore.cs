using System.Collections.Concurrent;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Data;

namespace Experiments.Dashboard.Tests;

/// <summary>A store the tests fill directly; counts reads so tests can prove what the live feed costs.</summary>
internal sealed class InMemoryDashboardStore : IDashboardStore
{
    private readonly ConcurrentDictionary<string, SweepRecord> _sweeps = new();
    private readonly ConcurrentDictionary<string, TrialRecord> _trials = new();
    private readonly ConcurrentDictionary<string, List<EpochMetrics>> _epochs = new();

    public int SweepReads;
    public int TrialListReads;
    public int EpochReads;
    public readonly List<SweepPlan> Submitted = [];
    public readonly List<string> Requeued = [];

    /// <summary>While set, every call fails as the Redis client does when the server does not answer.</summary>
    public volatile bool Down;

    public void Add(SweepRecord sweep, IEnumerable<(TrialRecord Trial, IReadOnlyList<EpochMetrics> Epochs)> trials)
    {
        _sweeps[sweep.Id] = sweep;
        foreach (var (trial, epochs) in trials)
        {
            _trials[trial.Id] = trial;
            _epochs[trial.Id] = [.. epochs];
        }
    }

    public void RecordEpoch(string trialId, EpochMetrics epoch)
    {
        _epochs[trialId].Add(epoch);
        _trials[trialId] = _trials[trialId] with { LastEpoch = epoch.Epoch };
    }

    public void SetStatus(string trialId, TrialStatus status) => _trials[trialId] = _trials[trialId] with { Status = status };

    /// <summary>What a worker's renewal stores: the running attempt's latest in-epoch progress.</summary>
    public void ReportProgress(string trialId, TrialProgress progress) =>
        _trials[trialId] = _trials[trialId] with { Progress = progress with { TrialId = trialId, Attempt = _trials[trialId].Attempt } };

    public int SummaryReads;

    public Task<long> CountSweepsAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return Task.FromResult((long)_sweeps.Count);
    }

    public Task<IReadOnlyList<string>> ListSweepIdsAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return Task.FromResult<IReadOnlyList<string>>([.. _sweeps.Values.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).Select(s => s.Id)]);
    }

    public Task<IReadOnlyList<SweepSummary>> GetSweepSummariesAsync(IReadOnlyList<string> sweepIds, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Interlocked.Add(ref SummaryReads, sweepIds.Count);
        return Task.FromResult<IReadOnlyList<SweepSummary>>([.. sweepIds.Where(_sweeps.ContainsKey).Select(id => new SweepSummary(
            _sweeps[id],
            _trials.Values.Where(t => t.SweepId == id).GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count()))
        {
            Running = [.. _trials.Values.Where(t => t.SweepId == id && t.Status == TrialStatus.Running && t.Progress is not null).Select(t => t.Progress!)],
        })]);
    }

    public Task SubscribeToChangesAsync(Action<string?> onChange) => Task.CompletedTask;

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref SweepReads);
        return Task.FromResult(_sweeps.GetValueOrDefault(sweepId));
    }

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref TrialListReads);
        return Task.FromResult<IReadOnlyList<TrialRecord>>(_trials.Values.Where(t => t.SweepId == sweepId).OrderBy(t => t.Index).ToList());
    }

    public int TrialReads;

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(IReadOnlyList<string> trialIds, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Interlocked.Add(ref TrialReads, trialIds.Count);
        return Task.FromResult<IReadOnlyList<TrialRecord>>([.. trialIds.Where(_trials.ContainsKey).Select(id => _trials[id])]);
    }

    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return Task.FromResult(_trials.GetValueOrDefault(trialId));
    }

    public Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref EpochReads);
        return Task.FromResult<IReadOnlyList<EpochMetrics>>(_epochs.TryGetValue(trialId, out var list) ? [.. list] : []);
    }

    /// <summary>Early-termination decisions by trial id, as the store's epoch script records them.</summary>
    public readonly ConcurrentDictionary<string, IReadOnlyList<TrialDecision>> Decisions = new();

    public Task<IReadOnlyList<TrialDecision>> GetDecisionsAsync(string trialId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return Task.FromResult(Decisions.GetValueOrDefault(trialId) ?? []);
    }

    public Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken)
    {
        Submitted.Add(plan);
        return Task.FromResult(new SubmittedSweep("s-new", []));
    }

    public Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Requeued.Add(trialId);
        return Task.FromResult(true);
    }

    public Task<DeletedSweep?> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (!_sweeps.TryRemove(sweepId, out var sweep))
        {
            return Task.FromResult<DeletedSweep?>(null);
        }

        foreach (var trialId in sweep.TrialIds)
        {
            _trials.TryRemove(trialId, out _);
            _epochs.TryRemove(trialId, out _);
        }

        return Task.FromResult<DeletedSweep?>(new DeletedSweep(sweepId, sweep.TrialIds));
    }

    /// <summary>While set, adding trials is refused with this reason, as the store refuses a deleted or cancelled sweep.</summary>
    public string? ClosedReason;

    public Task<string?> GetSweepSourceAsync(string sweepId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return Task.FromResult(_sweeps.TryGetValue(sweepId, out var sweep) ? sweep.SourceText : null);
    }

    /// <summary>As the store does it: the plan sees every trial; its trials are queued as the sweep's next indices.</summary>
    public Task<GrownSweep?> AddTrialsAsync(string sweepId, Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> plan, string? traceParent, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (!_sweeps.TryGetValue(sweepId, out var sweep))
        {
            return Task.FromResult<GrownSweep?>(null);
        }

        if (ClosedReason is { } reason)
        {
            throw new SweepClosedException(reason);
        }

        var trials = _trials.Values.Where(t => t.SweepId == sweepId).OrderBy(t => t.Index).ToList();
        var growth = plan(sweep, trials);
        var ids = new List<string>();
        foreach (var added in growth.Added)
        {
            var index = sweep.TrialIds.Count + ids.Count;
            var id = $"{sweepId}-t{index}";
            ids.Add(id);
            _trials[id] = new TrialRecord(id, sweepId, index, added.Config, added.Parameters, TrialStatus.Queued, 0, 3, null, false, 0, traceParent,
                DateTimeOffset.UnixEpoch, null, null, null, [], []);
            _epochs[id] = [];
        }

        _sweeps[sweepId] = sweep with { TrialIds = [.. sweep.TrialIds, .. ids], SourceText = growth.SourceText ?? sweep.SourceText };
        return Task.FromResult<GrownSweep?>(new GrownSweep(sweepId, ids, growth.AlreadyInSweep, sweep.TrialIds.Count + ids.Count));
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.SocketFailure, StackExchange.Redis.CommandFlags.None, "No connection is active/available to service this operation.", null, StackExchange.Redis.CommandStatus.WaitingToBeSent);
        }
    }
}
