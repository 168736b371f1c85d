using Experiments.Core.Queue;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Core.Tests.Queue;

/// <summary>A Redis Cluster is refused under a key prefix without a hash tag, naming the setting; accepted with one.</summary>
public sealed class StoreClusterCheckTests(RedisClusterFixture cluster, RedisServerFixture redis)
    : IClassFixture<RedisClusterFixture>, IClassFixture<RedisServerFixture>
{
    [Theory]
    [InlineData("exp:", null)]
    [InlineData("{exp}:", "exp")]
    [InlineData("team-{a}:exp:", "a")]
    [InlineData("{}:exp:", null)]
    [InlineData("exp}:{", null)]
    public void TheHashTagIsWhatRedisClusterHashes(string prefix, string? tag) => Assert.Equal(tag, StoreClusterCheck.HashTag(prefix));

    [SkippableFact]
    public async Task AClusterUnderAnUntaggedPrefixIsRefusedNamingTheTaggedPrefix()
    {
        Skip.If(cluster.UnavailableReason is not null, cluster.UnavailableReason);
        await StoreEvictionCheck.EnsureNoEvictionAsync(cluster.Connection, "exp:");

        Assert.True(StoreClusterCheck.IsCluster(cluster.Connection));
        var refused = Assert.Throws<InvalidOperationException>(() => StoreClusterCheck.EnsureKeysShareASlot(cluster.Connection, "exp:"));
        Assert.Contains("Store:KeyPrefix 'exp:' has no hash tag", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Store__KeyPrefix={exp}:", refused.Message, StringComparison.Ordinal);
        StoreClusterCheck.EnsureKeysShareASlot(cluster.Connection, "{exp}:");
    }

    [SkippableFact]
    public async Task AStandaloneRedisTakesAnyPrefix()
    {
        Skip.If(redis.UnavailableReason is not null, redis.UnavailableReason);
        await StoreEvictionCheck.EnsureNoEvictionAsync(redis.Connection, "exp:");

        Assert.False(StoreClusterCheck.IsCluster(redis.Connection));
        StoreClusterCheck.EnsureKeysShareASlot(redis.Connection, "exp:");
    }
}
