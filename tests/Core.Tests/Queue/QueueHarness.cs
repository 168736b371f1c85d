using Experiments.Core.Queue;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Experiments.Core.Tests.Queue;

/// <summary>A store and queue under a key prefix of their own, on a manual clock (leases expire only when told).</summary>
public sealed class QueueHarness
{
    public QueueHarness(IConnectionMultiplexer connection, int maxAttempts)
        : this(
            connection,
            new StoreOptions { KeyPrefix = $"t-{Guid.NewGuid():N}:", LeaseDuration = TimeSpan.FromSeconds(30), MaxAttempts = maxAttempts },
            new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)))
    {
    }

    private QueueHarness(IConnectionMultiplexer connection, StoreOptions options, FakeTimeProvider time)
    {
        Options = options;
        Time = time;
        Connection = connection;
        Store = new SweepStore(connection, Options, Time);
        Queue = QueueOn(connection);
    }

    public FakeTimeProvider Time { get; }

    public StoreOptions Options { get; }

    public IConnectionMultiplexer Connection { get; }

    public SweepStore Store { get; }

    public TrialQueue Queue { get; }

    /// <summary>A queue on another connection, as another worker process would have.</summary>
    public TrialQueue QueueOn(IConnectionMultiplexer connection) => new(connection, Options, Time);

    /// <summary>The same keys and clock over another connection (e.g. after the server restarted).</summary>
    public QueueHarness On(IConnectionMultiplexer connection) => new(connection, Options, Time);

    /// <summary>Every key under this harness's prefix, without the prefix, in order.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync()
    {
        var server = Connection.GetServer(Connection.GetEndPoints()[0]);
        HashSet<string> found = new(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: Options.KeyPrefix + "*", pageSize: 1000))
        {
            found.Add((string)key!);
        }

        // SCAN may name a key twice, or one removed while it ran: keep each key that exists, once.
        var database = Connection.GetDatabase();
        var checks = found.Select(key => (Key: key, Exists: database.KeyExistsAsync(key))).ToList();
        await Task.WhenAll(checks.Select(c => c.Exists));
        return [.. checks.Where(c => c.Exists.Result).Select(c => c.Key[Options.KeyPrefix.Length..]).Order(StringComparer.Ordinal)];
    }

    /// <summary>Moves the clock past the lease duration.</summary>
    public void ExpireLeases() => Time.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
}
