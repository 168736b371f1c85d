using Microsoft.Extensions.Logging;

namespace Experiments.AppHost.Supervision;

/// <summary>Source-generated log messages of the crash-restart supervisor.</summary>
internal static partial class SupervisionLog
{
    [LoggerMessage(1, LogLevel.Warning, "Resource {ResourceId} exited without being asked to stop: exit code {ExitCode}, signal {Signal}; restarting it in {Delay} (restart {Restart} in a row)")]
    public static partial void RestartScheduled(this ILogger logger, string resourceId, int? exitCode, string signal, TimeSpan delay, int restart);

    [LoggerMessage(2, LogLevel.Information, "Restarted resource {ResourceId} (restart {Restart} in a row)")]
    public static partial void Restarted(this ILogger logger, string resourceId, int restart);

    [LoggerMessage(3, LogLevel.Warning, "Restarting resource {ResourceId} failed: {Error}; trying again in {Delay}")]
    public static partial void RestartFailed(this ILogger logger, string resourceId, string error, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Information, "Resource {ResourceId} stopped on request ({State}); not restarting it")]
    public static partial void StoppedOnRequest(this ILogger logger, string resourceId, string state);

    [LoggerMessage(5, LogLevel.Information, "Crash restarts are off (Supervision:Enabled=false): a resource that exits stays down")]
    public static partial void Disabled(this ILogger logger);

    [LoggerMessage(6, LogLevel.Debug, "Resource {ResourceId} is {State} (exit code {ExitCode})")]
    public static partial void StateSeen(this ILogger logger, string resourceId, string state, int? exitCode);
}
