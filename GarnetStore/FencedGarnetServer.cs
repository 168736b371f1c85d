using System.Buffers;
using System.Runtime.InteropServices;
using Garnet;
using Garnet.networking;
using Garnet.server;

namespace Experiments.GarnetStore;

/// <summary>
/// Garnet, started so that no store version is used twice (issue 8). Every AOF record carries the store version it was
/// written in, and recovery from the checkpoint of version v skips every record of a version up to v as already in that
/// checkpoint. But recovery continues at v + 1 even when the AOF holds newer versions: a store killed while taking a
/// checkpoint has already moved on to the next version, and that checkpoint never completes. The next run then writes
/// with versions the AOF already holds, and once one of its checkpoints completes and the store dies again before the
/// AOF is truncated, recovery replays the dead run's records of that version over the newer values in the checkpoint.
/// So recovery must be followed, before any client or checkpoint runs, by moving the store past every version in the
/// AOF. <see cref="GarnetServer.Start"/> does recovery, listening and background tasks in one call, hence this order.
/// </summary>
public sealed class FencedGarnetServer(string[] args) : GarnetServer(args)
{
    /// <summary>What recovery left and what the store continues with (all equal when nothing had to move).</summary>
    public sealed record VersionFence(long VersionAfterRecovery, long HighestAofVersion, long ContinuedVersion);

    /// <summary>Recovers, moves the store past every version in the AOF, then listens and starts checkpointing.</summary>
    public async Task<VersionFence> StartAsync()
    {
        // The provider every listener was registered with in the constructor: Garnet's own Start() uses it the same way.
        var provider = storeWrapper.Servers.Select(s => s.GetSessionProviders().GetValueOrDefault(WireFormat.ASCII)).OfType<GarnetProvider>().FirstOrDefault()
            ?? throw new InvalidOperationException("Garnet registered no RESP session provider: this Garnet version starts differently; see FencedGarnetServer.");
        await provider.RecoverAsync();
        var fence = MoveStorePastAofVersions();
        foreach (var server in storeWrapper.Servers)
        {
            server.Start();
        }

        provider.Start(); // checkpoints and AOF-size checks start here, after the version moved
        return fence;
    }

    private VersionFence MoveStorePastAofVersions()
    {
        var store = storeWrapper.store;
        var afterRecovery = store.CurrentVersion;
        var highest = storeWrapper.appendOnlyFile is { } aof ? HighestVersion(aof.Log, storeWrapper.serverOptions.AofPhysicalSublogCount) : 0;
        if (highest >= afterRecovery)
        {
            // Nothing runs yet: no session, no checkpoint (the one condition SetVersion asks for).
            store.SetVersion(highest + 1);
        }

        return new VersionFence(afterRecovery, highest, store.CurrentVersion);
    }

    /// <summary>The highest store version any record in the AOF was written with (every record starts with its header).</summary>
    private static long HighestVersion(GarnetLog log, int sublogs)
    {
        long highest = 0;
        for (var sublog = 0; sublog < sublogs; sublog++)
        {
            using var records = log.Scan(sublog, log.GetBeginAddress(sublog), log.GetTailAddress(sublog), recover: false);
            while (records.GetNext(MemoryPool<byte>.Shared, out var entry, out var length, out _, out _))
            {
                using (entry)
                {
                    if (length >= VersionOffset + sizeof(long))
                    {
                        highest = Math.Max(highest, MemoryMarshal.Read<long>(entry.Memory.Span[VersionOffset..]));
                    }
                }
            }
        }

        return highest;
    }

    // Garnet's AofHeader (internal, 16 bytes): version byte, flags, op type, procedure/db id, then the store version.
    private const int VersionOffset = 4;
}
