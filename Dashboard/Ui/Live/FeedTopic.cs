namespace Experiments.Dashboard.Ui.Live;

/// <summary>One thing pages watch (the sweeps list, a sweep, a trial): loaded once for all its watchers.</summary>
internal abstract class FeedTopic
{
    public abstract bool HasWatchers { get; }
    public abstract DateTimeOffset LastUsed { get; }
    public abstract Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>The next read goes to the store (after a user changed something).</summary>
    public abstract void MarkStale();
}

/// <summary>
/// Shares one load among every caller within <c>maxAge</c> and every watcher, and pushes a snapshot to the
/// watchers only when its fingerprint changed. The store cost is per topic, never per open page.
/// </summary>
internal sealed class FeedTopic<T>(
    Func<CancellationToken, Task<T?>> load,
    Func<T, long> fingerprint,
    TimeProvider time,
    Action<Exception> onWatcherError,
    CancellationToken lifetime) : FeedTopic
    where T : class
{
    private readonly Lock _gate = new();
    private readonly List<Func<T, Task>> _watchers = [];
    private Task<T?>? _loading;
    private T? _latest;
    private long? _latestFingerprint;
    private volatile bool _loadFailed;
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUsed;

    public override bool HasWatchers
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count > 0;
            }
        }
    }

    public override DateTimeOffset LastUsed => _lastUsed;

    /// <summary>The latest snapshot if no older than <paramref name="maxAge"/>, else a (shared) fresh load.</summary>
    public Task<T?> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _lastUsed = time.GetUtcNow();
            if (_latest is not null && _lastUsed - _loadedAt <= maxAge)
            {
                return Task.FromResult<T?>(_latest);
            }

            // The load is shared, so one caller giving up must not cancel it for the others.
            return (_loading ??= LoadAndPublishAsync()).WaitAsync(cancellationToken);
        }
    }

    public override Task RefreshAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return (_loading ??= LoadAndPublishAsync()).WaitAsync(cancellationToken);
        }
    }

    public override void MarkStale()
    {
        lock (_gate)
        {
            _loadedAt = DateTimeOffset.MinValue;
        }
    }

    public IDisposable Watch(Func<T, Task> onChange)
    {
        lock (_gate)
        {
            _watchers.Add(onChange);
            _lastUsed = time.GetUtcNow();
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _watchers.Remove(onChange);
                _lastUsed = time.GetUtcNow();
            }
        });
    }

    private async Task<T?> LoadAndPublishAsync()
    {
        try
        {
            // Yield so the lock is released before the load starts.
            await Task.Yield();
            T? snapshot;
            try
            {
                snapshot = await load(lifetime).ConfigureAwait(false);
            }
            catch
            {
                _loadFailed = true;
                throw;
            }

            Func<T, Task>[] toNotify = [];
            lock (_gate)
            {
                _loadedAt = time.GetUtcNow();
                if (snapshot is null)
                {
                    // Gone (e.g. the sweep was deleted): never serve the old snapshot again.
                    _latest = null;
                    _latestFingerprint = null;
                }
                else
                {
                    var print = fingerprint(snapshot);
                    // After failed reads (the store was down) the first snapshot goes to the watchers too: their page
                    // could not read it itself, and this is how it fills in once the store is back.
                    var changed = _latestFingerprint is { } previous ? previous != print : _loadFailed;
                    _latest = snapshot;
                    _latestFingerprint = print;
                    if (changed)
                    {
                        toNotify = [.. _watchers];
                    }
                }
            }

            foreach (var watcher in toNotify)
            {
                try
                {
                    await watcher(snapshot!).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    onWatcherError(ex);
                }
            }

            return snapshot;
        }
        finally
        {
            lock (_gate)
            {
                _loading = null;
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
