using System.Collections.Immutable;
using Experiments.Dashboard.Ui.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Ui.Live;

/// <summary>
/// Whether the store answers, for the outage banner every page shows: while a banner watches, the store is asked
/// once a tick (one cheap read for all open pages), and watchers hear only of changes. A page's own reads can fail
/// and succeed on their own; this is the one place that says "the store is down" and "it is back".
/// </summary>
public sealed partial class StoreReachability(IDashboardStore store, TimeProvider time, ILogger<StoreReachability> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private ImmutableList<Func<bool, Task>> _watchers = [];
    private volatile bool _reachable = true;

    /// <summary>What the last look found (true until a look fails).</summary>
    public bool IsReachable => _reachable;

    /// <summary>Calls <paramref name="onChange"/> with the new state whenever it changes, until disposed.</summary>
    public IDisposable Watch(Func<bool, Task> onChange)
    {
        lock (_gate)
        {
            _watchers = _watchers.Add(onChange);
        }

        return new Unwatch(this, onChange);
    }

    /// <summary>Asks the store once and tells the watchers if the answer changed.</summary>
    public async Task LookAsync(CancellationToken cancellationToken)
    {
        bool reachable;
        try
        {
            await store.CountSweepsAsync(cancellationToken).ConfigureAwait(false);
            reachable = true;
        }
        catch (Exception ex) when (StoreUnavailable.Is(ex))
        {
            reachable = false;
        }

        if (reachable == _reachable)
        {
            return;
        }

        _reachable = reachable;
        LogReachabilityChanged(logger, reachable ? "answers again" : "does not answer");
        foreach (var watcher in _watchers)
        {
            try
            {
                await watcher(reachable).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A page closing while it is told (it unwatches on dispose) must not stop the others hearing.
                LogWatcherFailed(logger, ex);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(LiveFeed.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!_watchers.IsEmpty)
            {
                await LookAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "The store {Change}: the pages' outage banner follows")]
    private static partial void LogReachabilityChanged(ILogger logger, string change);

    [LoggerMessage(2, LogLevel.Debug, "A page could not be told of the store's state")]
    private static partial void LogWatcherFailed(ILogger logger, Exception exception);

    private sealed class Unwatch(StoreReachability owner, Func<bool, Task> onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._watchers = owner._watchers.Remove(onChange);
            }
        }
    }
}
