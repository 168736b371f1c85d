using Experiments.Core.Queue;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Core.Tests.Queue;

/// <summary>A Redis that may evict keys is refused with the reason; the stores we run ourselves are accepted.</summary>
public sealed class StoreEvictionCheckTests(GarnetServerFixture garnet, RedisServerFixture redis)
    : IClassFixture<GarnetServerFixture>, IClassFixture<RedisServerFixture>
{
    [SkippableTheory]
    [InlineData("allkeys-lru")]
    [InlineData("volatile-ttl")]
    public async Task ARedisThatMayEvictKeysIsRefusedNamingItsPolicyAndTheFix(string policy)
    {
        await using var evicting = new RedisServerFixture { ExtraArguments = ["--maxmemory", "64mb", "--maxmemory-policy", policy] };
        await evicting.InitializeAsync();
        Skip.If(evicting.UnavailableReason is not null, evicting.UnavailableReason);

        Assert.Equal(policy, await StoreEvictionCheck.ReadPolicyAsync(evicting.Connection));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StoreEvictionCheck.EnsureNoEvictionAsync(evicting.Connection));
        Assert.Contains($"maxmemory-policy is '{policy}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("maxmemory-policy noeviction", refused.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheDurableRedisServerAndTheEmbeddedGarnetAreAccepted()
    {
        Skip.If(redis.UnavailableReason is not null, redis.UnavailableReason);
        Skip.If(garnet.UnavailableReason is not null, garnet.UnavailableReason);

        Assert.Equal("noeviction", await StoreEvictionCheck.ReadPolicyAsync(redis.Connection));
        await StoreEvictionCheck.EnsureNoEvictionAsync(redis.Connection);
        await StoreEvictionCheck.EnsureNoEvictionAsync(garnet.Connection);
    }
}
