using Experiments.Core.Queue;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>Claims one trial at a time from the queue and trains it on this worker's device.</summary>
public sealed class TrialWorker(
    TrialQueue queue,
    TrialExecution execution,
    WorkerIdentity identity,
    IOptions<WorkerOptions> options,
    ILogger<TrialWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _workArrived = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var device = options.Value.Device;
        logger.WorkerStarted(identity.Id, device);
        var subscribed = false;
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await queue.SubscribeToWorkAsync(SignalWork);
                    subscribed = true;
                }

                var lease = await queue.TryClaimAsync(identity.Id, stoppingToken);
                if (lease is null)
                {
                    // Woken by the store's notification, or by the poll interval if a notification was missed.
                    await _workArrived.WaitAsync(options.Value.PollInterval, stoppingToken);
                    continue;
                }

                await execution.RunAsync(lease, device, stoppingToken);
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.StoreUnavailable(ex, backoff);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private void SignalWork()
    {
        if (_workArrived.CurrentCount == 0)
        {
            try
            {
                _workArrived.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification got there first; one wake-up is enough.
            }
        }
    }

    public override void Dispose()
    {
        _workArrived.Dispose();
        base.Dispose();
    }
}
