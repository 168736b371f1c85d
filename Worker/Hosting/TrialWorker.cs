using Experiments.Core.Queue;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Claims one trial at a time from the queue and trains it on this worker's device. A trial whose checkpoints the
/// volume has no room for is not started: it stays queued with the reason on its record, and this worker looks
/// again after <see cref="WorkerOptions.SpaceRetryInterval"/>.
/// </summary>
public sealed class TrialWorker(
    TrialQueue queue,
    TrialExecution execution,
    CheckpointSpace space,
    WorkerMetrics metrics,
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

                List<(string TrialId, string Reason)> declined = [];
                var lease = await queue.TryClaimAsync(identity.Id, (trialId, config, _) =>
                {
                    var refusal = space.Refusal(trialId, config);
                    if (refusal is not null)
                    {
                        declined.Add((trialId, refusal));
                        metrics.TrialDeferred("checkpoint_space");
                    }

                    return ValueTask.FromResult(refusal);
                }, stoppingToken);
                if (lease is null && declined.Count > 0)
                {
                    // New work does not make room: wait for the retry interval, not for a wake-up.
                    var delay = options.Value.SpaceRetryInterval;
                    logger.NoRoomForTrials(declined.Count, declined[0].TrialId, declined[0].Reason, delay);
                    await Task.Delay(delay, stoppingToken);
                    continue;
                }

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
