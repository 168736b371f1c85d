using System.Diagnostics;
using Experiments.Core;
using Experiments.Core.Queue;
using Experiments.Core.Records;
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
                var reaped = await queue.ReapExpiredTrialsAsync(stoppingToken);
                if (reaped.Count > 0)
                {
                    logger.Reaped(reaped.Count);
                }

                foreach (var trial in reaped)
                {
                    RecordInTrialTrace(trial);
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

    /// <summary>A lost worker leaves no span of its own: the reaper marks the requeue in the submission's trace.</summary>
    private static void RecordInTrialTrace(ReapedTrial trial)
    {
        ActivityContext.TryParse(trial.TraceParent, null, out var parent);
        using var activity = WorkerTelemetry.ActivitySource.StartActivity($"reap {trial.TrialId}", ActivityKind.Internal, parent);
        activity?.SetTag(TelemetryTags.SweepId, trial.SweepId);
        activity?.SetTag(TelemetryTags.TrialId, trial.TrialId);
        activity?.AddEvent(new ActivityEvent(
            trial.Status == TrialStatus.Queued ? "requeued" : "parked",
            tags: new ActivityTagsCollection { ["reason"] = "lease expired (worker lost)", ["status"] = trial.Status.ToString() }));
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
