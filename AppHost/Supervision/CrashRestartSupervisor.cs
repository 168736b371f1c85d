using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Experiments.AppHost.Supervision;

/// <summary>
/// Watches the state of every resource marked <see cref="RestartOnCrashAnnotation"/>, one replica at a time, and
/// starts an instance again (Aspire's own Start command) when it exits without having been asked to: killed, crashed
/// or exited by itself. Not restarted: anything while the AppHost shuts down, and an instance a person stopped (its
/// state passed through <c>Stopping</c>, or DCP reports it <c>Terminated</c>, i.e. killed by the orchestrator).
/// </summary>
internal sealed class CrashRestartSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    IOptions<CrashRestartOptions> options,
    ILogger<CrashRestartSupervisor> logger) : BackgroundService
{
    // DCP's state for an executable its controller killed (a Stop command, scale-down, shutdown): never a crash.
    private const string TerminatedState = "Terminated";

    private readonly ConcurrentDictionary<string, SupervisedInstance> _instances = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.Disabled();
            return;
        }

        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (change.Resource.HasAnnotationOfType<RestartOnCrashAnnotation>())
                {
                    var instance = _instances.GetOrAdd(change.ResourceId, _ => new SupervisedInstance(new RestartBackoff(options.Value)));
                    Observe(change, instance, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Observe(ResourceEvent change, SupervisedInstance instance, CancellationToken stoppingToken)
    {
        var state = change.Snapshot.State?.Text;
        if (string.IsNullOrEmpty(state))
        {
            return;
        }

        lock (instance)
        {
            if (state == instance.LastState)
            {
                return;
            }

            instance.LastState = state;
            logger.StateSeen(change.ResourceId, state, change.Snapshot.ExitCode);
            if (state == KnownResourceStates.Stopping)
            {
                // Only the orchestrator passes an instance through Stopping (a Stop or Restart command, or shutdown);
                // a killed process goes straight from Running to Finished.
                instance.StopRequested = true;
                return;
            }

            if (state == KnownResourceStates.Starting || state == KnownResourceStates.Waiting)
            {
                instance.StopRequested = false;
                instance.RunningSince = null;
                return;
            }

            if (state == KnownResourceStates.Running)
            {
                instance.StopRequested = false;
                instance.RunningSince ??= Stopwatch.GetTimestamp();
                return;
            }

            if (state != TerminatedState && !KnownResourceStates.TerminalStates.Contains(state))
            {
                return;
            }

            if (lifetime.ApplicationStopping.IsCancellationRequested || stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (instance.StopRequested || state == TerminatedState)
            {
                logger.StoppedOnRequest(change.ResourceId, state);
                return;
            }

            TimeSpan? ranFor = instance.RunningSince is { } since ? Stopwatch.GetElapsedTime(since) : null;
            instance.RunningSince = null;
            var delay = instance.Backoff.NextDelay(ranFor);
            var exitCode = change.Snapshot.ExitCode;
            logger.RestartScheduled(change.ResourceId, exitCode, ExitStatus.SignalName(exitCode) ?? "none", delay, instance.Backoff.ConsecutiveRestarts);
            _ = RestartAfterAsync(change.ResourceId, instance, delay, stoppingToken);
        }
    }

    private async Task RestartAfterAsync(string resourceId, SupervisedInstance instance, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(delay, stoppingToken);
                if (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    return;
                }

                // Someone may have started it during the wait (the Start button): then there is nothing to do.
                if (notifications.TryGetCurrentState(resourceId, out var current)
                    && current.Snapshot.State?.Text is { } state
                    && !KnownResourceStates.TerminalStates.Contains(state))
                {
                    return;
                }

                string error;
                try
                {
                    var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
                    if (result.Success)
                    {
                        logger.Restarted(resourceId, instance.Backoff.ConsecutiveRestarts);
                        return;
                    }

                    error = result.Message ?? "the Start command did not succeed";
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    error = exception.Message;
                }

                lock (instance)
                {
                    delay = instance.Backoff.NextDelay(ranFor: null);
                }

                logger.RestartFailed(resourceId, error, delay);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What the supervisor remembers about one resource instance (one replica).</summary>
    private sealed class SupervisedInstance(RestartBackoff backoff)
    {
        public RestartBackoff Backoff { get; } = backoff;

        public string? LastState { get; set; }

        public bool StopRequested { get; set; }

        /// <summary>When it was first seen running since its last start (a monotonic timestamp).</summary>
        public long? RunningSince { get; set; }
    }
}
