using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>
/// On a Redis Cluster a script may only touch keys of one hash slot, and ours touch the queue, leases, trials and
/// sweeps together. A key prefix with a hash tag (<c>{exp}:</c>) puts every key in one slot, so every script runs
/// on the one shard that holds it. A cluster reached with an untagged prefix is refused with the setting to change:
/// scripts would fail with CROSSSLOT on the first claim.
/// </summary>
public static class StoreClusterCheck
{
    /// <summary>Whether the client found a cluster behind its connection string.</summary>
    public static bool IsCluster(IConnectionMultiplexer redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        return redis.GetServers().Any(s => s.IsConnected && s.ServerType == ServerType.Cluster);
    }

    /// <summary>The hash tag Redis Cluster hashes for keys under this prefix, or null: the part between the first
    /// <c>{</c> and the next <c>}</c> when it is not empty.</summary>
    public static string? HashTag(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var open = keyPrefix.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : keyPrefix.IndexOf('}', open + 1);
        return close > open + 1 ? keyPrefix[(open + 1)..close] : null;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the fix when a cluster is reached with a prefix
    /// whose keys would spread over slots.</summary>
    public static void EnsureKeysShareASlot(IConnectionMultiplexer redis, string keyPrefix)
    {
        if (IsCluster(redis) && HashTag(keyPrefix) is null)
        {
            var tagged = "{" + keyPrefix.TrimEnd(':') + "}:";
            throw new InvalidOperationException(
                $"The store is a Redis Cluster, where a script may only touch keys of one hash slot, but {StoreOptions.SectionName}:KeyPrefix " +
                $"'{keyPrefix}' has no hash tag, so the queue's keys would spread over slots. Set {StoreOptions.SectionName}:KeyPrefix to " +
                $"'{tagged}' (environment: {StoreOptions.SectionName}__KeyPrefix={tagged}) for every service: all keys then share one slot " +
                "and one shard (see the README's Queue guarantees).");
        }
    }
}
