using Experiments.Core.Queue;
using StackExchange.Redis;

namespace Experiments.Dashboard.Ui.Data;

/// <summary>
/// Tells a store outage (no connection, a timeout, a server still loading its log after a restart) from a bug.
/// An outage is the store's state, not the request's fault: the API answers 503 with Retry-After and the pages say
/// so and keep running, where any other exception would be a 500 or a broken circuit.
/// </summary>
public static class StoreUnavailable
{
    /// <summary>How long a client should wait: the client reconnects within seconds, and a restarted store replays its log first.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>How long a request waits for a connected store's reply: a loaded machine can take over 5 s (CI saw it).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    public const string Title = "Store unreachable";

    /// <summary>What a user is told; it names no host, port or path.</summary>
    public const string Message = "The record store does not answer right now (it may be restarting). Nothing is lost; try again in a few seconds.";

    /// <summary>
    /// A store that is down is said at once (no connection: fail fast, not after queueing for the timeout); one that is
    /// merely slow gets <see cref="CommandTimeout"/>, or longer if the connection string asks for it.
    /// </summary>
    public static void ConfigureClient(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var milliseconds = (int)CommandTimeout.TotalMilliseconds;
        options.SyncTimeout = Math.Max(options.SyncTimeout, milliseconds);
        options.AsyncTimeout = Math.Max(options.AsyncTimeout, milliseconds);
    }

    public static bool Is(Exception? exception) => StoreFaults.IsUnreachable(exception);

    /// <summary>Runs a page's read or action; false (instead of an exception that would end the circuit) when the store is down.</summary>
    public static async Task<bool> TryAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return true;
        }
        catch (Exception ex) when (Is(ex))
        {
            return false;
        }
    }
}
