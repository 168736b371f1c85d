using Experiments.Sweeps.Queue;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>
/// Requeues trials whose worker vanished (lease expired). Every worker runs one: the store script is atomic,
/// so several reapers on several machines never requeue a trial twice. Also samples the queue depth.
/// </summary>
public sealed class LeaseReaper(
    TrialQueue queue,
    SweepStore store,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<LeaseReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReapInterval, time);
        do
        {
            try
            {
                var reaped = await queue.ReapExpiredAsync(stoppingToken);
                if (reaped > 0)
                {
                    logger.Reaped(reaped);
                }

                metrics.QueueDepthObserved(await store.QueueDepthAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.StoreUnavailable(ex, options.Value.ReapInterval);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
