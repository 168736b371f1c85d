using Experiments.Core.Queue;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Experiments.Core.Tests.Queue;

/// <summary>
/// A store and queue under a key prefix of their own. Callers run on a manual clock, which only the times shown
/// (started, ended) follow: leases run on the store's clock, so a test expires them by moving their deadlines
/// into the store's past (<see cref="ExpireLeasesAsync"/>), or waits for a short lease to lapse.
/// </summary>
public sealed class QueueHarness
{
    public QueueHarness(IConnectionMultiplexer connection, int maxAttempts, TimeSpan? leaseDuration = null, int maxInterruptions = 10)
        : this(
            connection,
            new StoreOptions
            {
                // Hash-tagged, as a cluster needs (and harmless elsewhere): every key of a test shares one slot.
                KeyPrefix = $"{{t-{Guid.NewGuid():N}}}:",
                LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(30),
                MaxAttempts = maxAttempts,
                MaxInterruptions = maxInterruptions,
            },
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

    /// <summary>
    /// What a lease's lapse looks like to the store: every lease deadline under this prefix moves into the store's
    /// past (as if the lease duration had gone by without a renewal); the callers' clock moves on by as much.
    /// </summary>
    public async Task ExpireLeasesAsync()
    {
        Time.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
        var database = Connection.GetDatabase();
        RedisKey leases = Options.KeyPrefix + "leases";
        foreach (var trialId in await database.SortedSetRangeByRankAsync(leases))
        {
            await database.SortedSetAddAsync(leases, trialId, 1);
            RedisKey trial = Options.KeyPrefix + "trial:" + trialId;
            if (await database.HashExistsAsync(trial, "lease_until"))
            {
                await database.HashSetAsync(trial, "lease_until", 1);
            }
        }
    }

    /// <summary>The store's own clock (TIME), which lease deadlines follow.</summary>
    public async Task<DateTimeOffset> StoreNowAsync()
    {
        var reply = (RedisResult[])(await Connection.GetDatabase().ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds(((long)reply[0] * 1000) + ((long)reply[1] / 1000));
    }

    /// <summary>A trial's lease deadline as the store holds it, or null.</summary>
    public async Task<DateTimeOffset?> LeaseDeadlineAsync(string trialId) =>
        await Connection.GetDatabase().SortedSetScoreAsync(Options.KeyPrefix + "leases", trialId) is { } score
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)score)
            : null;

    /// <summary>Every key under this harness's prefix, without the prefix, in order.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync()
    {
        HashSet<string> found = new(StringComparer.Ordinal);
        // Every primary: on a cluster each holds its own slots.
        foreach (var server in Connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: Options.KeyPrefix + "*", pageSize: 1000))
            {
                found.Add((string)key!);
            }
        }

        // SCAN may name a key twice, or one removed while it ran: keep each key that exists, once.
        var database = Connection.GetDatabase();
        var checks = found.Select(key => (Key: key, Exists: database.KeyExistsAsync(key))).ToList();
        await Task.WhenAll(checks.Select(c => c.Exists));
        return [.. checks.Where(c => c.Exists.Result).Select(c => c.Key[Options.KeyPrefix.Length..]).Order(StringComparer.Ordinal)];
    }
}
