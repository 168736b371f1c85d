using System.Collections.Concurrent;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// The one place the UI reads the store. Pages get snapshots and watch topics; once a second the feed reloads
/// each watched topic once and pushes changed snapshots to its watchers, so the store sees at most one read
/// per topic per second however many pages are open.
/// </summary>
public sealed partial class LiveFeed(IDashboardStore store, TimeProvider time, ILogger<LiveFeed> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(2);
    private const string SweepsKey = "sweeps";

    private readonly ConcurrentDictionary<string, FeedTopic> _topics = new(StringComparer.Ordinal);
    private readonly EpochCache _epochs = new(store, time);
    private readonly SweepIndex _sweepIndex = new(store, time);
    private readonly ConcurrentDictionary<string, SweepTrials> _sweepTrials = new(StringComparer.Ordinal);
    private volatile bool _subscribed;
    private readonly CancellationTokenSource _lifetime = new();
    private int _disposed;

    public Task<SweepsSnapshot?> GetSweepsAsync(CancellationToken cancellationToken) =>
        SweepsTopic().GetAsync(Interval, cancellationToken);

    public Task<SweepSnapshot?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        SweepTopic(sweepId).GetAsync(Interval, cancellationToken);

    public Task<TrialSnapshot?> GetTrialAsync(string trialId, CancellationToken cancellationToken) =>
        TrialTopic(trialId).GetAsync(Interval, cancellationToken);

    /// <summary>These lines of the sweeps list with their best metric and duration (see <see cref="SweepIndex"/>).</summary>
    public Task<IReadOnlyList<SweepListItem>> FillSweepsAsync(IReadOnlyList<SweepListItem> items, CancellationToken cancellationToken) =>
        _sweepIndex.FillAsync(items, _epochs, cancellationToken);

    public IDisposable WatchSweeps(Func<SweepsSnapshot, Task> onChange) => SweepsTopic().Watch(onChange);

    public IDisposable WatchSweep(string sweepId, Func<SweepSnapshot, Task> onChange) => SweepTopic(sweepId).Watch(onChange);

    public IDisposable WatchTrial(string trialId, Func<TrialSnapshot, Task> onChange) => TrialTopic(trialId).Watch(onChange);

    /// <summary>One tick: reload every watched topic once (concurrently), forget idle ones.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await SubscribeAsync().ConfigureAwait(false);
        var now = time.GetUtcNow();
        var watched = new List<Task>();
        foreach (var (key, topic) in _topics)
        {
            if (topic.HasWatchers)
            {
                watched.Add(RefreshTopicAsync(key, topic, cancellationToken));
            }
            else if (now - topic.LastUsed > Idle)
            {
                _topics.TryRemove(key, out _);
                if (key.StartsWith("sweep:", StringComparison.Ordinal))
                {
                    _sweepTrials.TryRemove(key["sweep:".Length..], out _);
                }
            }
        }

        await Task.WhenAll(watched).ConfigureAwait(false);
        _epochs.Evict();
    }

    /// <summary>Makes the next read of these topics go to the store (after a user changed something).</summary>
    public void Invalidate(string? sweepId = null, string? trialId = null)
    {
        if (sweepId is not null || trialId is not null)
        {
            _sweepIndex.MarkChanged(sweepId ?? trialId);
        }

        if (trialId is not null && Core.Queue.StoreIds.TryGetSweepId(trialId, out var trialSweep) && _sweepTrials.TryGetValue(trialSweep, out var named))
        {
            named.MarkChanged(trialId);
        }
        else if (sweepId is not null && _sweepTrials.TryGetValue(sweepId, out var sweepTrials))
        {
            // A change to the sweep as a whole (cancel): its trials are read again in full.
            sweepTrials.MarkChanged(null);
        }

        string?[] keys = [SweepsKey, sweepId is null ? null : "sweep:" + sweepId, trialId is null ? null : "trial:" + trialId];
        foreach (var key in keys)
        {
            if (key is not null && _topics.TryGetValue(key, out var topic))
            {
                topic.MarkStale();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var link = stoppingToken.Register(_lifetime.Cancel);
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        // Registered as a singleton and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _lifetime.Cancel();
        _lifetime.Dispose();
        base.Dispose();
    }

    /// <summary>Hears of requeues and submits from any process, so finished sweeps need no polling; retried each tick until it works.</summary>
    private async Task SubscribeAsync()
    {
        if (_subscribed)
        {
            return;
        }

        try
        {
            await store.SubscribeToChangesAsync(OnStoreChange).ConfigureAwait(false);
            _subscribed = true;
            // Whatever happened before the subscription is unknown.
            _sweepIndex.MarkChanged(null);
        }
        catch (Exception ex) when (StoreUnavailable.Is(ex))
        {
            LogRefreshFailed(logger, "the change subscription", ex);
        }
    }

    private void OnStoreChange(string? id)
    {
        _sweepIndex.MarkChanged(id);
        if (id is null)
        {
            foreach (var trials in _sweepTrials.Values)
            {
                trials.MarkChanged(null);
            }
        }
        else if (Core.Queue.StoreIds.TryGetSweepId(id, out var sweepId) && _sweepTrials.TryGetValue(sweepId, out var named))
        {
            named.MarkChanged(id);
        }

        if (_topics.TryGetValue(SweepsKey, out var topic))
        {
            topic.MarkStale();
        }
    }

    private async Task RefreshTopicAsync(string key, FeedTopic topic, CancellationToken cancellationToken)
    {
        try
        {
            await topic.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRefreshFailed(logger, key, ex);
        }
    }

    private FeedTopic<SweepsSnapshot> SweepsTopic() => Topic(SweepsKey, async ct =>
        new SweepsSnapshot(await _sweepIndex.ReadAsync(ct).ConfigureAwait(false), time.GetUtcNow()),
        Fingerprints.Of);

    private FeedTopic<SweepSnapshot> SweepTopic(string sweepId)
    {
        SweepSnapshot? previous = null;
        return Topic("sweep:" + sweepId, async ct =>
        {
            var read = await _sweepTrials.GetOrAdd(sweepId, id => new SweepTrials(store, id)).ReadAsync(ct).ConfigureAwait(false);
            if (read is not { } found)
            {
                return null;
            }

            var withEpochs = await _epochs.WithEpochsAsync(found.Trials, ct).ConfigureAwait(false);
            previous = new SweepSnapshot(found.Sweep, Unchanged(previous, withEpochs), time.GetUtcNow());
            return previous;
        }, Fingerprints.Of);
    }

    /// <summary>
    /// Keeps the previous snapshot's <see cref="TrialData"/> for every trial whose record and epochs are the same
    /// objects, so what pages derive per trial (rows, curve points) is computed once per change, not per visit.
    /// </summary>
    private static IReadOnlyList<TrialData> Unchanged(SweepSnapshot? previous, IReadOnlyList<TrialData> current)
    {
        if (previous is null || previous.Trials.Count != current.Count)
        {
            return current;
        }

        var result = new TrialData[current.Count];
        for (var i = 0; i < current.Count; i++)
        {
            var old = previous.Trials[i];
            result[i] = ReferenceEquals(old.Record, current[i].Record) && ReferenceEquals(old.Epochs, current[i].Epochs) ? old : current[i];
        }

        return result;
    }

    private FeedTopic<TrialSnapshot> TrialTopic(string trialId) => Topic("trial:" + trialId, async ct =>
    {
        var trial = await store.GetTrialAsync(trialId, ct).ConfigureAwait(false);
        if (trial is null)
        {
            return null;
        }

        var epochs = await _epochs.WithEpochsAsync([trial], ct).ConfigureAwait(false);
        return new TrialSnapshot(epochs[0], time.GetUtcNow());
    }, Fingerprints.Of);

    private FeedTopic<T> Topic<T>(string key, Func<CancellationToken, Task<T?>> load, Func<T, long> fingerprint)
        where T : class =>
        (FeedTopic<T>)_topics.GetOrAdd(key, _ => new FeedTopic<T>(load, fingerprint, time, ex => LogWatcherFailed(logger, key, ex), _lifetime.Token));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Topic} for the live feed failed")]
    private static partial void LogRefreshFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A page watching {Topic} failed to take an update")]
    private static partial void LogWatcherFailed(ILogger logger, string topic, Exception exception);
}
