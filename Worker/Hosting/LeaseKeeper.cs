using Experiments.Core.Queue;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Renews a trial's lease on a thread of its own, apart from the training loop and from the thread pool, so neither
/// a long batch nor a saturated pool lets it lapse. (It used a PeriodicTimer: each tick and each store reply waited
/// for a pool thread, and with the pool saturated a renewal came tens of seconds late.) Its token is cancelled when
/// the lease is lost or a user asks to cancel; training stops before its next batch. With a <see cref="TrainerWatch"/>,
/// each renewal carries the trainer's latest progress, and renewal depends on progress: once the trainer has finished
/// no batch for the stall timeout, the keeper stops renewing (a wedged process cannot hold a lease for ever) and
/// reports the stall (<see cref="Stalled"/>).
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly TrialQueue _queue;
    private readonly TrialLease _lease;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseDuration;
    private readonly CancellationTokenSource _stop;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TrainerWatch? _watch;
    private readonly CancellationTokenSource _disposing = new();
    private int _state = (int)LeaseState.Held;
    private int _renewals;
    private long _lastConfirmed;

    private LeaseKeeper(
        TrialQueue queue, TrialLease lease, TimeSpan leaseDuration, ILogger logger, TimeProvider time, CancellationToken stoppingToken, TrainerWatch? watch)
    {
        _watch = watch;
        _queue = queue;
        _lease = lease;
        _leaseDuration = leaseDuration;
        _logger = logger;
        _time = time;
        _lastConfirmed = time.GetTimestamp();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _thread = new Thread(RenewLoop) { IsBackground = true, Name = $"lease {lease.TrialId}" };
        _thread.Start();
    }

    /// <summary>Cancelled when training must stop: lease lost, cancel requested, sweep deleted, or the worker shutting down.</summary>
    public CancellationToken Token => _stop.Token;

    public LeaseState State => (LeaseState)Volatile.Read(ref _state);

    /// <summary>Renewals the store confirmed so far (the lease held or a cancel requested).</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    public static LeaseKeeper Start(
        TrialQueue queue, TrialLease lease, TimeSpan leaseDuration, ILogger logger, TimeProvider time, CancellationToken stoppingToken, TrainerWatch? watch = null)
        => new(queue, lease, leaseDuration, logger, time, stoppingToken, watch);

    /// <summary>
    /// Completes with the reason when the watchdog found the trainer hung: renewals have stopped and training was told to
    /// stop. A wedged trainer never returns, so its caller waits for this as well as for training.
    /// </summary>
    public Task<string> Stalled => _stalled.Task;

    /// <summary>The watchdog's reason, once it fired; null otherwise.</summary>
    public string? StallReason => _stalled.Task.IsCompleted ? _stalled.Task.Result : null;

    /// <summary>
    /// Local monotonic time (<see cref="TimeProvider.GetTimestamp"/>) when the store last confirmed the lease (the claim,
    /// then each renewal): until a lease duration after it, no other worker can have taken the trial.
    /// </summary>
    public long LastConfirmed => Interlocked.Read(ref _lastConfirmed);

    /// <summary>
    /// Runs a fenced store write, retried with backoff through a store blip for as long as the lease may still be ours
    /// (a lease duration after the store last confirmed it): a stalled store then costs a pause, not the attempt. Only
    /// for writes that are safe to repeat: a retry after the lease passed to another worker is refused by the fence,
    /// and one whose first try did land is answered as already done. Past that time the error propagates.
    /// </summary>
    public async Task<T> WriteWhileHeldAsync<T>(Func<Task<T>> write, Action<Exception, TimeSpan> retrying, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(retrying);
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (StoreFaults.IsUnreachable(ex) && MayStillHoldAfter(delay))
            {
                retrying(ex, delay);
                await Task.Delay(delay, _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    // A cancel requested still leaves the lease ours; a lost lease or a deleted sweep does not.
    private bool MayStillHoldAfter(TimeSpan delay) =>
        State is not (LeaseState.Lost or LeaseState.SweepDeleted) && _time.GetElapsedTime(LastConfirmed) + delay < _leaseDuration;

    /// <summary>Marks the lease lost because a fenced write was refused.</summary>
    public void MarkLost() => Stop(LeaseState.Lost);

    /// <summary>A fenced write was refused because the trial's sweep was deleted.</summary>
    public void MarkSweepDeleted() => Stop(LeaseState.SweepDeleted);

    private void RenewLoop()
    {
        // A third of the lease: two renewals may fail before the lease can lapse. Sooner when progress is reported.
        var interval = _watch is { } watch && watch.ReportInterval < _leaseDuration / 3 ? watch.ReportInterval : _leaseDuration / 3;
        var stopped = _stop.Token.WaitHandle;
        try
        {
            // An OS wait, not a timer: timer callbacks run on the thread pool.
            while (!stopped.WaitOne(interval))
            {
                // Before renewing: a hung trainer's lease is left to lapse even if nothing else ends the attempt.
                if (FoundStall(interval))
                {
                    break;
                }

                try
                {
                    var sent = _time.GetTimestamp();
                    var state = _queue.Renew(_lease, _watch?.TakeProgress());
                    Interlocked.Increment(ref _renewals);
                    if (state != LeaseState.Lost)
                    {
                        // From when it was sent: the store's deadline is at least that far off.
                        Interlocked.Exchange(ref _lastConfirmed, sent);
                    }

                    if (state == LeaseState.Lost)
                    {
                        _logger.LeaseLost(_lease.TrialId, _lease.Attempt);
                        Stop(LeaseState.Lost);
                    }
                    else if (state == LeaseState.CancelRequested)
                    {
                        _logger.CancelRequested(_lease.TrialId);
                        Stop(LeaseState.CancelRequested);
                    }
                    else if (state == LeaseState.SweepDeleted)
                    {
                        Stop(LeaseState.SweepDeleted);
                    }
                }
                catch (Exception ex)
                {
                    _logger.RenewFailed(ex, _lease.TrialId);
                    if (_time.GetElapsedTime(LastConfirmed) >= _leaseDuration)
                    {
                        // Past the lease another worker may own the trial: stop, write nothing.
                        Stop(LeaseState.Lost);
                    }
                }
            }

            // Training was told to stop (lease lost, cancel, shutdown) but a wedged trainer cannot hear it: keep
            // watching, renewing nothing, so its attempt still ends once the watchdog fires.
            while (_watch is not null && !_stalled.Task.IsCompleted && !_disposing.Token.WaitHandle.WaitOne(interval) && !FoundStall(interval))
            {
            }
        }
        finally
        {
            _exited.TrySetResult();
        }
    }

    private bool FoundStall(TimeSpan interval)
    {
        // Counted per look, at most two intervals each: a paused process is not a hung trainer.
        if (_watch?.Check(2 * interval) is not { } stall)
        {
            return false;
        }

        _logger.TrainerStalled(_lease.TrialId, _lease.Attempt, stall);
        // Told to stop before the stall is published: whoever sees Stalled may rely on the token being cancelled.
        _stop.Cancel();
        _stalled.TrySetResult(stall);
        return true;
    }

    private void Stop(LeaseState state)
    {
        Interlocked.CompareExchange(ref _state, (int)state, (int)LeaseState.Held);
        _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _disposing.CancelAsync();
        await _exited.Task;
        _stop.Dispose();
        _disposing.Dispose();
    }
}
