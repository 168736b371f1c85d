using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>
/// Refuses a store that may evict keys under memory pressure: the queue, leases and records are plain keys without
/// expiry, and a Redis that drops one silently loses a trial or an acknowledged result. Only <c>noeviction</c> is
/// safe (writes then fail loudly when memory is full). Read from <c>INFO memory</c>, which managed Redis services
/// allow where they disable CONFIG; a server that does not report a policy (Garnet) does not evict our keys.
/// </summary>
public static class StoreEvictionCheck
{
    public const string SafePolicy = "noeviction";

    private const string PolicyScript = "return string.match(redis.call('INFO', 'memory'), 'maxmemory_policy:([%w-]+)')";

    /// <summary>The store's maxmemory-policy or null when none is reported.</summary>
    /// <param name="redis">The store.</param>
    /// <param name="keyPrefix">The services' key prefix: on a cluster, the shard holding its slot is the one asked.</param>
    public static async Task<string?> ReadPolicyAsync(IConnectionMultiplexer redis, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        // INFO from a script: the client refuses INFO outside admin mode. The script names (and never reads) a key
        // under the prefix so that it runs where our keys live.
        var policy = await redis.GetDatabase().ScriptEvaluateAsync(PolicyScript, [(RedisKey)(keyPrefix + "store")]).ConfigureAwait(false);
        return policy.IsNull ? null : (string?)policy;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with what to change when the store may evict keys.</summary>
    public static async Task EnsureNoEvictionAsync(IConnectionMultiplexer redis, string keyPrefix = "")
    {
        var policy = await ReadPolicyAsync(redis, keyPrefix).ConfigureAwait(false);
        if (policy is not null && policy != SafePolicy)
        {
            throw new InvalidOperationException(
                $"The store's maxmemory-policy is '{policy}': under memory pressure Redis would silently delete queued trials, " +
                $"leases and results. Set 'maxmemory-policy {SafePolicy}' on that Redis (redis.conf, CONFIG SET, or your provider's " +
                "parameter group), or use Store:Mode=embedded or redis-server.");
        }
    }
}
