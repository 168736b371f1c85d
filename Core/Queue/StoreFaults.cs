using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>
/// Tells a store outage (no connection, a timeout, a server still loading its log after a restart) from a bug. The
/// Dashboard answers 503 for it; a worker counts an attempt it ended as an interruption, not a failure of the trial.
/// </summary>
public static class StoreFaults
{
    public static bool IsUnreachable(Exception? exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        // Redis answers LOADING (and Garnet refuses commands) while it replays its log after a restart.
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnreachable),
        _ => false,
    };
}
