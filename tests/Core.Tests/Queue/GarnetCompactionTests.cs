using System.Collections.Concurrent;
using System.Globalization;
using Experiments.Core.Queue;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Experiments.Core.Tests.Queue;

/// <summary>
/// The embedded store compacts its log with Garnet checkpoints: the AOF stays bounded however much is written,
/// and neither a checkpoint nor a kill -9 while one is taken loses an acknowledged write.
/// </summary>
[Trait("Category", "Slow")]
public sealed class GarnetCompactionTests(ITestOutputHelper output)
{
    private const int Writers = 32;
    private const int KeysPerWriter = 50;
    private const int WritesPerRound = 500;

    [SkippableFact]
    public async Task AofStaysBoundedAcrossAWriteHeavyRunAndEveryAcknowledgedWriteSurvives()
    {
        // The store's own compaction settings (AOF limit 64 MB, 32 MB segments): four times the limit is written.
        await using var server = await StartAsync([]);
        var load = new WriteLoad(server, valueBytes: 4096);
        long largestAof = 0;
        long previousAof = 0;
        var truncations = 0;
        await load.RunAsync(() =>
        {
            var aof = AofBytes(server);
            truncations += aof < previousAof ? 1 : 0;
            previousAof = aof;
            largestAof = Math.Max(largestAof, aof);
            return load.BytesAcknowledged >= 256L << 20;
        });

        output.WriteLine($"wrote {load.BytesAcknowledged >> 20} MB in {load.WritesAcknowledged} writes; largest AOF {largestAof >> 20} MB, {truncations} truncations while writing, {AofBytes(server) >> 20} MB when the writes stopped");
        // Compacted while the writes went on, never holding most of what was written. How far the AOF runs past its
        // limit depends on the write rate during a checkpoint (175 MB at 13 MB/s on a busy machine), so the bound
        // that does not depend on the machine is where it settles once a checkpoint caught up.
        Assert.True(truncations >= 1, $"the AOF was never truncated while {load.BytesAcknowledged >> 20} MB were written");
        Assert.True(largestAof < load.BytesAcknowledged * 3 / 4, $"the AOF reached {largestAof >> 20} MB of {load.BytesAcknowledged >> 20} MB written");
        // Limit + the segment being filled + the segment a checkpoint cannot free yet.
        var settled = await Eventually.UntilAsync(() => Task.FromResult(AofBytes(server)), aof => aof <= 128L << 20, "the AOF to settle within 128 MB once the writes stopped");
        output.WriteLine($"settled at {settled >> 20} MB");

        await server.RestartAsync(); // kill -9, then recover from the last checkpoint and the AOF after it
        await load.VerifyAsync();
    }

    [SkippableFact]
    public async Task KillNineWhileACheckpointIsTakenLosesNoAcknowledgedWrite()
    {
        // Issue 8 was found here: one kill inside a checkpoint, then one right after the next checkpoint completed,
        // brought back older values; a checkpoint every second gives each round a fresh chance at both.
        await using var server = await StartAsync(["--checkpoint-freq", "1"]);
        var load = new WriteLoad(server, valueBytes: 512);
        for (var round = 0; round < 4; round++)
        {
            // Write a while (a restarted store checkpoints at once, which alone would end a round before it wrote
            // anything on a busy machine), then until a new checkpoint shows up on disk, and kill the store while it
            // is (most likely) being written.
            var writesBefore = load.WritesAcknowledged;
            HashSet<string>? checkpointsBefore = null;
            await load.RunAsync(
                () => load.WritesAcknowledged - writesBefore >= WritesPerRound
                    && !CheckpointTokens(server).SetEquals(checkpointsBefore ??= CheckpointTokens(server)),
                killWhenDone: true);
            await server.RestartAsync();
            await load.VerifyAsync();
            output.WriteLine($"round {round}: {load.WritesAcknowledged} writes acknowledged in all, every one kept");
        }

        // And right after a checkpoint the store itself was asked for (SAVE returns once its checkpoint completed).
        await load.RunAsync(() => load.WritesAcknowledged > 2_000);
        await using (var admin = await server.ConnectAsync(allowAdmin: true))
        {
            await CheckpointAsync(admin, "SAVE");
        }

        server.Kill();
        await server.RestartAsync();
        await load.VerifyAsync();
    }

    [SkippableFact]
    public async Task AStoreKilledInsideACheckpointComesBackPastEveryVersionItWrote()
    {
        // Issue 8's cause, deterministically: a checkpoint moves the store to its next version before it completes. A
        // store killed in between recovered to the version before it and wrote that next version again; once a later
        // checkpoint of it completed, a restart skipped the new run's writes as checkpointed and replayed the dead run's
        // writes of the next version over them. Garnet's checkpoint throttle keeps a checkpoint open ~5 s after its
        // index is written (room for a test process starved of CPU), long enough to write in the new version and kill
        // the store before the checkpoint completes.
        await using var server = await StartAsync(["--checkpoint-freq", "0", "--checkpoint-throttle-delay", "5000"]);
        var key = $"c-{Guid.NewGuid():N}:v";
        long killedInVersion = 0;
        for (var attempt = 1; killedInVersion == 0; attempt++)
        {
            await using var admin = await server.ConnectAsync(allowAdmin: true);
            var before = await StoreVersionAsync(admin);
            var completedBefore = CompletedCheckpointTokens(server);
            await CheckpointAsync(admin, "BGSAVE");
            var version = await Eventually.UntilAsync(() => StoreVersionAsync(admin), v => v > before, "the checkpoint to move the store to its next version", interval: TimeSpan.FromMilliseconds(10));
            await admin.GetDatabase().StringSetAsync(key, $"written in version {version}");
            if (CompletedCheckpointTokens(server).SetEquals(completedBefore))
            {
                server.Kill(); // the checkpoint has not completed: the store dies on a version no checkpoint holds
                killedInVersion = version;
            }
            else
            {
                // This machine finished the checkpoint before the kill (throttle outrun): a precondition, not the behaviour; try again.
                Assert.True(attempt < 5, $"in {attempt} attempts every checkpoint completed before the store could be killed inside it");
                output.WriteLine($"attempt {attempt}: the checkpoint completed before the kill; again");
            }
        }

        await server.RestartAsync();
        await using var restarted = await server.ConnectAsync(allowAdmin: true);
        var continued = await StoreVersionAsync(restarted);
        output.WriteLine($"killed in version {killedInVersion}; restarted at version {continued}");
        Assert.True(continued > killedInVersion, $"the store was killed in version {killedInVersion} and continued at version {continued}, which its AOF already holds");
        Assert.Equal($"written in version {killedInVersion}", (string?)await restarted.GetDatabase().StringGetAsync(key));
    }

    private static async Task<GarnetServerFixture> StartAsync(string[] arguments)
    {
        var server = new GarnetServerFixture(arguments);
        await server.InitializeAsync();
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        return server;
    }

    private static string AofFolder(StoreServer server) => Path.Combine(server.DataDirectory, "checkpoints", "AOF");

    private static long AofBytes(StoreServer server) => Directory.Exists(AofFolder(server))
        ? new DirectoryInfo(AofFolder(server)).EnumerateFiles("aof.log.*").Sum(LengthOrZero)
        : 0;

    /// <summary>A segment the store truncates away between the listing and the look counts as gone.</summary>
    private static long LengthOrZero(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static DirectoryInfo CheckpointFolder(StoreServer server) =>
        new(Path.Combine(server.DataDirectory, "checkpoints", "Store", "checkpoints", "cpr-checkpoints"));

    private static HashSet<string> CheckpointTokens(StoreServer server) =>
        CheckpointFolder(server) is { Exists: true } folder ? [.. folder.EnumerateDirectories().Select(d => d.Name)] : [];

    /// <summary>Checkpoints whose metadata is written: Garnet writes it last, so these are complete.</summary>
    private static HashSet<string> CompletedCheckpointTokens(StoreServer server) =>
        CheckpointFolder(server) is { Exists: true } folder
            ? [.. folder.EnumerateDirectories().Where(d => new FileInfo(Path.Combine(d.FullName, "info.dat.0")) is { Exists: true, Length: > 0 }).Select(d => d.Name)]
            : [];

    /// <summary>
    /// SAVE or BGSAVE, once no other checkpoint runs: Garnet refuses either while one is taken ("ERR checkpoint already
    /// in progress"), and with a checkpoint every second one often is (the official CI run of stop 18 hit it).
    /// </summary>
    private static Task CheckpointAsync(IConnectionMultiplexer admin, string command) =>
        Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await admin.GetDatabase().ExecuteAsync(command);
                    return "taken";
                }
                catch (RedisServerException e) when (e.Message.Contains("checkpoint already in progress", StringComparison.Ordinal))
                {
                    return e.Message;
                }
            },
            result => result == "taken",
            $"a {command} no running checkpoint refuses",
            interval: TimeSpan.FromMilliseconds(20));

    /// <summary>Garnet's store version (INFO STORE's CurrentVersion): the version every write is logged with.</summary>
    private static async Task<long> StoreVersionAsync(IConnectionMultiplexer admin)
    {
        var info = (string)(await admin.GetDatabase().ExecuteAsync("INFO", "STORE"))!;
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("CurrentVersion:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"INFO STORE has no CurrentVersion:\n{info}");
        return long.Parse(line["CurrentVersion:".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Concurrent writers, each the only writer of its own keys and writing them in order, so the last
    /// acknowledged value of every key is known; half also submit sweeps through the queue's Lua scripts.
    /// </summary>
    private sealed class WriteLoad(StoreServer server, int valueBytes)
    {
        private readonly ConcurrentDictionary<string, long> acknowledged = new();
        private readonly ConcurrentBag<string> submitted = [];
        private readonly StoreOptions options = new() { KeyPrefix = $"c-{Guid.NewGuid():N}:" };
        private long sequence;
        private long bytes;
        private long writes;

        /// <summary>Several times what a round takes on a loaded two-core machine: only a round that cannot end reaches it.</summary>
        private static readonly TimeSpan RoundCeiling = TimeSpan.FromMinutes(10);

        public long BytesAcknowledged => Interlocked.Read(ref bytes);

        public long WritesAcknowledged => Interlocked.Read(ref writes);

        /// <summary>Writes until <paramref name="done"/> (polled every 50 ms) says so; optionally kills the store at that moment.</summary>
        public async Task RunAsync(Func<bool> done, bool killWhenDone = false)
        {
            await using var connection = await server.ConnectAsync(timeoutMilliseconds: 5000);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(connection, w, stop.Token))).ToArray();
            var running = System.Diagnostics.Stopwatch.StartNew();
            var sinceProgress = System.Diagnostics.Stopwatch.StartNew();
            var writesSeen = WritesAcknowledged;
            while (!done())
            {
                if (writers.FirstOrDefault(w => w.IsFaulted) is { } failed)
                {
                    await failed;
                }

                // A hung store acknowledges nothing; a slow one (a loaded machine, test projects side by side) only
                // makes a round longer, so the ceiling is on time without progress, not on the round (62,002 of a
                // round's 65,536 writes took 120 s beside the other test projects on two cores).
                if (WritesAcknowledged != writesSeen)
                {
                    writesSeen = WritesAcknowledged;
                    sinceProgress.Restart();
                }
                else if (sinceProgress.Elapsed > Eventually.DefaultTimeout)
                {
                    throw new TimeoutException($"No write was acknowledged for {Eventually.DefaultTimeout.TotalSeconds:0} s ({WritesAcknowledged} writes acknowledged in all).");
                }

                if (running.Elapsed > RoundCeiling)
                {
                    // Writes go on but the round's end never comes (e.g. no checkpoint is ever taken).
                    throw new TimeoutException($"The round did not end within {RoundCeiling.TotalMinutes:0} min ({WritesAcknowledged} writes acknowledged in all).");
                }

                await Task.Delay(50);
            }

            if (killWhenDone)
            {
                server.Kill();
            }

            await stop.CancelAsync();
            // Writes in flight when the store died fail: they were never acknowledged.
            await Task.WhenAll(writers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        public async Task VerifyAsync()
        {
            await using var connection = await server.ConnectAsync();
            var database = connection.GetDatabase();
            var reads = acknowledged.ToDictionary(p => p.Key, p => database.StringGetAsync(options.KeyPrefix + p.Key));
            await Task.WhenAll(reads.Values);
            foreach (var (key, task) in reads)
            {
                // Never older than the last acknowledged write (a later unacknowledged one may have landed).
                var stored = long.Parse(((string)task.Result!).AsSpan(0, 19), CultureInfo.InvariantCulture);
                Assert.True(stored >= acknowledged[key], $"{key}: stored write {stored}, acknowledged {acknowledged[key]}");
            }

            var store = new SweepStore(connection, options, TimeProvider.System);
            foreach (var sweepId in submitted)
            {
                var trials = await store.GetTrialsAsync(sweepId);
                Assert.True(trials.Count == 2, $"acknowledged sweep {sweepId} has {trials.Count} of 2 trials after the restart");
            }
        }

        private async Task WriteAsync(IConnectionMultiplexer connection, int writer, CancellationToken stop)
        {
            var database = connection.GetDatabase();
            var store = new SweepStore(connection, options, TimeProvider.System);
            var padding = new string('x', valueBytes);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    if (writer % 2 == 0 && i % 20 == 0)
                    {
                        submitted.Add((await store.SubmitAsync(TestPlans.Create(2), null)).SweepId);
                    }

                    var key = $"w{writer}:k{i % KeysPerWriter}";
                    var stamp = Interlocked.Increment(ref sequence);
                    await database.StringSetAsync(options.KeyPrefix + key, stamp.ToString("D19", CultureInfo.InvariantCulture) + padding);
                    acknowledged[key] = stamp;
                    Interlocked.Add(ref bytes, valueBytes);
                    Interlocked.Increment(ref writes);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                {
                    // Not acknowledged, so it does not count. A write that timed out on a busy machine does not end the
                    // writer (writers that all stopped so left a round waiting for a checkpoint no write would bring);
                    // the store being killed under it does, as the run stops.
                    if (e is ObjectDisposedException)
                    {
                        return;
                    }
                }
            }
        }
    }
}
