using Experiments.Core.Queue.Scripts;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>A sweep whose records are gone from the store; its trials' checkpoint folders are the caller's to remove.</summary>
public sealed record DeletedSweep(string SweepId, IReadOnlyList<string> TrialIds);

public sealed partial class SweepStore
{
    /// <summary>Trials whose keys one purge script removes: short scripts, however large the sweep.</summary>
    internal const int PurgeBatch = 100;

    /// <summary>
    /// Deletes a sweep with its trials, attempts and epochs. It disappears from every read at once; running trials
    /// are not waited for: their workers' next fenced write or renewal is refused and they stop, writing nothing.
    /// Returns null when there is no such sweep.
    /// </summary>
    public async Task<DeletedSweep?> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        if (!StoreIds.IsSweepId(sweepId))
        {
            return null;
        }

        var trialCount = await MarkDeletedAsync(sweepId).ConfigureAwait(false);
        if (trialCount is not { } count)
        {
            return null;
        }

        await PurgeAsync(sweepId, count, cancellationToken).ConfigureAwait(false);
        return new DeletedSweep(sweepId, TrialIdsOf(sweepId, count));
    }

    /// <summary>Finishes deletions that were cut short (a crash, a lost connection); returns the sweeps it finished.</summary>
    public async Task<IReadOnlyList<DeletedSweep>> FinishInterruptedDeletionsAsync(CancellationToken cancellationToken = default)
    {
        List<DeletedSweep> finished = [];
        foreach (var entry in await Database.HashGetAllAsync(keys.Deleting).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sweepId = (string)entry.Name!;
            // Tombstone again: the interrupted deletion may have stopped before it wrote the tombstone.
            if (await MarkDeletedAsync(sweepId).ConfigureAwait(false) is { } count)
            {
                await PurgeAsync(sweepId, count, cancellationToken).ConfigureAwait(false);
                finished.Add(new DeletedSweep(sweepId, TrialIdsOf(sweepId, count)));
            }
        }

        return finished;
    }

    /// <summary>Which of these sweep ids belong to deleted sweeps (deleted, or being deleted).</summary>
    public async Task<IReadOnlySet<string>> FindDeletedAsync(IReadOnlyCollection<string> sweepIds, CancellationToken cancellationToken = default)
    {
        var database = Database;
        var checks = sweepIds.Distinct(StringComparer.Ordinal)
            .Select(id => (Id: id, Deleted: database.SortedSetScoreAsync(keys.Deleted, id), Deleting: database.HashExistsAsync(keys.Deleting, id)))
            .ToList();
        await Task.WhenAll(checks.SelectMany(c => new Task[] { c.Deleted, c.Deleting })).ConfigureAwait(false);
        return checks.Where(c => c.Deleted.Result is not null || c.Deleting.Result).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Which of these trial ids belong to deleted sweeps (e.g. the checkpoint folders a worker finds).</summary>
    public async Task<IReadOnlyList<string>> FindTrialsOfDeletedSweepsAsync(IReadOnlyCollection<string> trialIds, CancellationToken cancellationToken = default)
    {
        var sweepOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var trialId in trialIds)
        {
            if (StoreIds.TryGetSweepId(trialId, out var sweepId))
            {
                sweepOf[trialId] = sweepId;
            }
        }

        var deleted = await FindDeletedAsync(sweepOf.Values.ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        return [.. sweepOf.Where(p => deleted.Contains(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Tombstones the sweep; returns its trial count, or null when there is no such sweep.</summary>
    private async Task<int?> MarkDeletedAsync(string sweepId)
    {
        RedisKey[] scriptKeys = [keys.Sweeps, keys.Sweep(sweepId), keys.Deleting];
        RedisValue[] arguments = [sweepId, StoreTime.ToStored(time.GetUtcNow())];
        var result = await StoreScripts.MarkDeleted.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false);
        return result.IsNull ? null : (int)result;
    }

    private async Task PurgeAsync(string sweepId, int trialCount, CancellationToken cancellationToken)
    {
        var database = Database;
        foreach (var batch in TrialIdsOf(sweepId, trialCount).Chunk(PurgeBatch))
        {
            if (!await PurgeTrialsAsync(sweepId, batch, cancellationToken).ConfigureAwait(false))
            {
                return; // Another purge finished this sweep.
            }
        }

        // What a crash left of an add: trials written past the sweep's count, before the count was raised. An add
        // writes them in order from the count, so they are found by looking on until a batch holds none.
        for (var next = trialCount; ; next += PurgeBatch)
        {
            var candidates = Enumerable.Range(next, PurgeBatch).Select(i => StoreIds.TrialId(sweepId, i)).ToArray();
            var exists = await Task.WhenAll(candidates.Select(id => database.KeyExistsAsync(keys.Trial(id)))).ConfigureAwait(false);
            var leftovers = candidates.Where((_, i) => exists[i]).ToArray();
            if (leftovers.Length == 0)
            {
                break;
            }

            if (!await PurgeTrialsAsync(sweepId, leftovers, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        // Keys other parts keep under the sweep's name (their names depend on data: found by SCAN, then named in KEYS).
        foreach (var batch in (await KeysUnderSweepAsync(sweepId).ConfigureAwait(false)).Chunk(PurgeBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            RedisKey[] scriptKeys = [keys.Deleting, .. batch];
            if ((int)await StoreScripts.PurgeSweepKeys.EvaluateAsync(database, scriptKeys, [sweepId]).ConfigureAwait(false) == 0)
            {
                return;
            }
        }

        RedisKey[] finishKeys = [keys.Sweep(sweepId), keys.Deleting, keys.Deleted];
        RedisValue[] finishArguments = [sweepId, StoreTime.ToStored(time.GetUtcNow())];
        await StoreScripts.FinishDeletion.EvaluateAsync(database, finishKeys, finishArguments).ConfigureAwait(false);
    }

    /// <summary>Removes these trials' keys and queue entries; false when another purge already finished the sweep.</summary>
    private async Task<bool> PurgeTrialsAsync(string sweepId, string[] batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] scriptKeys = [keys.Deleting, keys.Queue, keys.Leases, .. batch.SelectMany(keys.AllOfTrial)];
        RedisValue[] arguments = [sweepId, keys.AllOfTrial(batch[0]).Length, .. batch.Select(id => (RedisValue)id)];
        return (int)await StoreScripts.PurgeTrials.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false) != 0;
    }

    private async Task<List<RedisKey>> KeysUnderSweepAsync(string sweepId)
    {
        List<RedisKey> found = [];
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(redis.GetDatabase().Database, keys.UnderSweepPattern(sweepId), pageSize: 1000).ConfigureAwait(false))
            {
                found.Add(key);
            }
        }

        return found;
    }

    private static string[] TrialIdsOf(string sweepId, int trialCount) =>
        [.. Enumerable.Range(0, trialCount).Select(i => StoreIds.TrialId(sweepId, i))];
}
