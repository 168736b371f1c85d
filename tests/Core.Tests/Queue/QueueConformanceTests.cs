using Experiments.Core.Tests.Fixtures;

namespace Experiments.Core.Tests.Queue;

/// <summary>
/// The store protocol's guarantees, written once and run against every server we support (see the subclasses).
/// Each test works under a key prefix of its own, so the tests of a class share one server.
/// </summary>
public abstract partial class QueueConformanceTests(StoreServer server)
{
    protected StoreServer Server { get; } = server;

    /// <summary>A fresh store and queue; skips the test when this server cannot run on this machine.</summary>
    protected QueueHarness NewHarness(int maxAttempts = 3, TimeSpan? leaseDuration = null, int maxInterruptions = 10)
    {
        Skip.If(Server.UnavailableReason is not null, Server.UnavailableReason);
        return new QueueHarness(Server.Connection, maxAttempts, leaseDuration, maxInterruptions);
    }

    /// <summary>A server of the same kind of its own, for tests that kill it.</summary>
    protected abstract StoreServer CreateServer();
}

public sealed class GarnetQueueConformanceTests(GarnetServerFixture server)
    : QueueConformanceTests(server), IClassFixture<GarnetServerFixture>
{
    protected override StoreServer CreateServer() => new GarnetServerFixture();
}

public sealed class RedisQueueConformanceTests(RedisServerFixture server)
    : QueueConformanceTests(server), IClassFixture<RedisServerFixture>
{
    protected override StoreServer CreateServer() => new RedisServerFixture();
}

/// <summary>Every script on a three-shard Redis Cluster, under a hash-tagged prefix (as the services require there).</summary>
public sealed class RedisClusterQueueConformanceTests(RedisClusterFixture server)
    : QueueConformanceTests(server), IClassFixture<RedisClusterFixture>
{
    protected override StoreServer CreateServer() => new RedisClusterFixture();
}
