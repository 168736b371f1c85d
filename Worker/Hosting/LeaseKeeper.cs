using Experiments.Core.Queue;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Renews a trial's lease on its own timer, apart from the training loop, so a long batch never lets it lapse.
/// Its token is cancelled when the lease is lost or a user asks to cancel; training stops at the next batch.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly TrialQueue _queue;
    private readonly TrialLease _lease;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseDuration;
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private int _state = (int)LeaseState.Held;

    private LeaseKeeper(TrialQueue queue, TrialLease lease, TimeSpan leaseDuration, ILogger logger, TimeProvider time, CancellationToken stoppingToken)
    {
        _queue = queue;
        _lease = lease;
        _leaseDuration = leaseDuration;
        _logger = logger;
        _time = time;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _loop = Task.Run(RenewLoopAsync);
    }

    /// <summary>Cancelled when training must stop: lease lost, cancel requested, sweep deleted, or the worker shutting down.</summary>
    public CancellationToken Token => _stop.Token;

    public LeaseState State => (LeaseState)Volatile.Read(ref _state);

    public static LeaseKeeper Start(TrialQueue queue, TrialLease lease, TimeSpan leaseDuration, ILogger logger, TimeProvider time, CancellationToken stoppingToken)
        => new(queue, lease, leaseDuration, logger, time, stoppingToken);

    /// <summary>Marks the lease lost because a fenced write was refused.</summary>
    public void MarkLost() => Stop(LeaseState.Lost);

    /// <summary>A fenced write was refused because the trial's sweep was deleted.</summary>
    public void MarkSweepDeleted() => Stop(LeaseState.SweepDeleted);

    private async Task RenewLoopAsync()
    {
        // A third of the lease: two renewals may fail before the lease can lapse.
        var interval = _leaseDuration / 3;
        var lastRenewed = _time.GetTimestamp();
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var state = await _queue.RenewAsync(_lease, _stop.Token);
                    lastRenewed = _time.GetTimestamp();
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
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.RenewFailed(ex, _lease.TrialId);
                    if (_time.GetElapsedTime(lastRenewed) >= _leaseDuration)
                    {
                        // Past the lease another worker may own the trial: stop, write nothing.
                        Stop(LeaseState.Lost);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Stop(LeaseState state)
    {
        Interlocked.CompareExchange(ref _state, (int)state, (int)LeaseState.Held);
        _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
