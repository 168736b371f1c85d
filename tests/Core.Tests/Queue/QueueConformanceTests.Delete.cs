using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task DeletedSweepVanishesAtOnceWithEveryKeyOfItsTrials()
    {
        var h = NewHarness();
        // More trials than one purge batch, in every state a trial can be in.
        var doomed = await h.Store.SubmitAsync(TestPlans.Create(SweepStore.PurgeBatch + 30, "doomed"), null);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var kept = await h.Store.SubmitAsync(TestPlans.Create(2, "kept"), null);
        var leases = new List<TrialLease>();
        while (leases.Count < 4 && await h.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1)));
            leases.Add(lease);
        }

        // What early termination keeps for the sweep and its trials (rungs, the median pool, per-trial decisions).
        var earlyTermination = new Experiments.Core.EarlyTermination.EarlyTerminationKeys(h.Options.KeyPrefix);
        var database = h.Connection.GetDatabase();
        await database.SortedSetAddAsync(earlyTermination.Rung(doomed.SweepId, 0, 1), leases[0].TrialId, 0.5);
        await database.SetAddAsync(earlyTermination.Completed(doomed.SweepId), leases[0].TrialId);
        await database.SortedSetAddAsync(earlyTermination.CompletedAt(doomed.SweepId, 3), leases[0].TrialId, 0.5);
        await database.HashSetAsync(earlyTermination.Trial(leases[0].TrialId), "v:1", "0.5");
        await h.Queue.FinishAsync(leases[0], TrialOutcome.Completed([TestPlans.Evaluation()]));
        await h.Queue.FinishAsync(leases[1], TrialOutcome.Failed("boom"));
        await h.Store.CancelTrialAsync(doomed.TrialIds[^1]);

        var deleted = await h.Store.DeleteSweepAsync(doomed.SweepId);

        Assert.Equal(doomed.TrialIds, deleted!.TrialIds);
        Assert.Null(await h.Store.GetSweepAsync(doomed.SweepId));
        Assert.Empty(await h.Store.GetTrialsAsync(doomed.SweepId));
        Assert.Null(await h.Store.GetTrialAsync(doomed.TrialIds[0]));
        Assert.Empty(await h.Store.GetEpochsAsync(leases[0].TrialId));
        Assert.Equal([kept.SweepId], (await h.Store.ListSweepsAsync()).Select(s => s.Sweep.Id));
        Assert.Equal(["deleted", "queue", "sweep:" + kept.SweepId, "sweeps", .. kept.TrialIds.Select(id => "trial:" + id)], await h.KeysAsync());
        Assert.Equal([doomed.SweepId], await h.Store.FindDeletedAsync([doomed.SweepId, kept.SweepId, "sw-neversubmitted"]));

        // The other sweep is untouched and still handed out.
        Assert.Equal(kept.TrialIds, (await h.Store.GetTrialsAsync(kept.SweepId)).Select(t => t.Id));
        Assert.Equal(kept.SweepId, (await h.Queue.TryClaimAsync("worker-2"))?.SweepId);
    }

    [SkippableFact]
    public async Task DeletingASweepThatDoesNotExistChangesNothing()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        Assert.NotNull(await h.Store.DeleteSweepAsync(sweep.SweepId));
        var keys = await h.KeysAsync();

        Assert.Null(await h.Store.DeleteSweepAsync(sweep.SweepId));
        Assert.Null(await h.Store.DeleteSweepAsync("sw-neversubmitted"));

        Assert.Equal(keys, await h.KeysAsync());
        Assert.Empty(await h.Store.FinishInterruptedDeletionsAsync());
    }

    [SkippableFact]
    public async Task WorkerOfADeletedSweepIsRefusedEveryWriteAndRecreatesNothing()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(3), null);
        var running = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(running, TestPlans.Epoch(1)));

        await h.Store.DeleteSweepAsync(sweep.SweepId);

        // The worker learns at its next renewal or write; nothing it sends lands.
        Assert.Equal(LeaseState.SweepDeleted, await h.Queue.RenewAsync(running));
        Assert.Equal(EpochWrite.SweepDeleted, await h.Queue.RecordEpochAsync(running, TestPlans.Epoch(2)));
        Assert.Null(await h.Queue.FinishAsync(running, TrialOutcome.Completed([TestPlans.Evaluation()])));
        Assert.Null(await h.Queue.FinishAsync(running, TrialOutcome.Failed("worker crashed")));
        Assert.False(await h.Store.CancelTrialAsync(running.TrialId));
        Assert.False(await h.Store.RequeueTrialAsync(running.TrialId));
        await h.ExpireLeasesAsync();
        Assert.Equal(0, await h.Queue.ReapExpiredAsync());
        Assert.Null(await h.Queue.TryClaimAsync("worker-2"));

        Assert.Equal(["deleted"], await h.KeysAsync());
    }

    [SkippableFact]
    public async Task TombstonedSweepIsSkippedByClaimsReapsAndUsersBeforeItsKeysAreGone()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(3), null);
        var running = (await h.Queue.TryClaimAsync("worker-1"))!;
        var failed = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.Queue.FinishAsync(failed, TrialOutcome.Failed("boom"));
        await h.Queue.FinishAsync((await h.Queue.TryClaimAsync("worker-1"))!, TrialOutcome.Failed("boom"));
        await h.Queue.FinishAsync((await h.Queue.TryClaimAsync("worker-1"))!, TrialOutcome.Failed("boom"));
        Assert.Equal(1, await h.Store.QueueDepthAsync());

        // A deletion cut short right after its tombstone (the first of its scripts) leaves every trial key in place.
        await TombstoneOnlyAsync(h, sweep.SweepId, 3);

        Assert.Null(await h.Store.GetSweepAsync(sweep.SweepId));
        Assert.Null(await h.Store.GetTrialAsync(running.TrialId));
        Assert.Empty(await h.Store.ListSweepsAsync());
        Assert.Null(await h.Queue.TryClaimAsync("worker-2"));
        Assert.Equal(0, await h.Store.QueueDepthAsync());
        Assert.Equal(LeaseState.SweepDeleted, await h.Queue.RenewAsync(running));
        Assert.Equal(EpochWrite.SweepDeleted, await h.Queue.RecordEpochAsync(running, TestPlans.Epoch(1)));
        Assert.Null(await h.Queue.FinishAsync(running, TrialOutcome.Completed([])));
        Assert.False(await h.Store.RequeueTrialAsync(failed.TrialId));
        Assert.False(await h.Store.CancelTrialAsync(running.TrialId));
        await h.ExpireLeasesAsync();
        Assert.Equal(0, await h.Queue.ReapExpiredAsync());
        Assert.Null(await h.Queue.TryClaimAsync("worker-2"));
        var database = h.Connection.GetDatabase();
        Assert.Equal(0, await database.SortedSetLengthAsync($"{h.Options.KeyPrefix}leases"));
        Assert.Equal("Running", (string?)await database.HashGetAsync($"{h.Options.KeyPrefix}trial:{running.TrialId}", "status"));

        var finished = Assert.Single(await h.Store.FinishInterruptedDeletionsAsync());
        Assert.Equal(sweep.TrialIds, finished.TrialIds);
        Assert.Equal(["deleted"], await h.KeysAsync());
    }

    [SkippableFact]
    public async Task DeletionCutShortAtAnyStepIsFinishedByTheNextPurge()
    {
        var h = NewHarness();
        var database = h.Connection.GetDatabase();
        var prefix = h.Options.KeyPrefix;
        var size = SweepStore.PurgeBatch + 5;

        // Only the first write of the tombstone script: listed as being deleted, otherwise untouched.
        var listedOnly = await h.Store.SubmitAsync(TestPlans.Create(size, "listed-only"), null);
        await database.HashSetAsync($"{prefix}deleting", listedOnly.SweepId, size);

        // Tombstoned and the first purge batch done.
        var halfPurged = await h.Store.SubmitAsync(TestPlans.Create(size, "half-purged"), null);
        await TombstoneOnlyAsync(h, halfPurged.SweepId, size);
        foreach (var trialId in halfPurged.TrialIds.Take(SweepStore.PurgeBatch))
        {
            await database.SortedSetRemoveAsync($"{prefix}queue", trialId);
            await database.KeyDeleteAsync($"{prefix}trial:{trialId}");
        }

        // Every trial purged and the sweep hash removed, but not yet recorded as deleted.
        var hashGone = await h.Store.SubmitAsync(TestPlans.Create(size, "hash-gone"), null);
        await TombstoneOnlyAsync(h, hashGone.SweepId, size);
        foreach (var trialId in hashGone.TrialIds)
        {
            await database.SortedSetRemoveAsync($"{prefix}queue", trialId);
            await database.KeyDeleteAsync($"{prefix}trial:{trialId}");
        }

        await database.KeyDeleteAsync($"{prefix}sweep:{hashGone.SweepId}");

        var kept = await h.Store.SubmitAsync(TestPlans.Create(1, "kept"), null);

        var finished = await h.Store.FinishInterruptedDeletionsAsync();

        Assert.Equal(
            new[] { listedOnly.SweepId, halfPurged.SweepId, hashGone.SweepId }.Order(),
            finished.Select(f => f.SweepId).Order());
        Assert.Equal(["deleted", "queue", "sweep:" + kept.SweepId, "sweeps", "trial:" + kept.TrialIds[0]], await h.KeysAsync());
        Assert.Equal(3, (await h.Store.FindDeletedAsync(finished.Select(f => f.SweepId).ToList())).Count);
        Assert.Equal([kept.SweepId], (await h.Store.ListSweepsAsync()).Select(s => s.Sweep.Id));
    }

    [SkippableFact]
    public async Task ConcurrentDeletionsOfOneSweepBothEndClean()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create((3 * SweepStore.PurgeBatch) + 1), null);
        await using var other = await Server.ConnectAsync();
        var otherStore = new SweepStore(other, h.Options, h.Time);

        var results = await Task.WhenAll(
            h.Store.DeleteSweepAsync(sweep.SweepId),
            otherStore.DeleteSweepAsync(sweep.SweepId),
            otherStore.FinishInterruptedDeletionsAsync().ContinueWith(_ => (DeletedSweep?)null, TaskScheduler.Default));

        Assert.Contains(results, r => r is not null);
        Assert.Equal(["deleted"], await h.KeysAsync());
        Assert.Empty(await h.Store.FinishInterruptedDeletionsAsync());
    }

    [SkippableFact]
    public async Task DeletedSweepIdIsNeverHandedOutAgain()
    {
        var h = NewHarness();
        string[] ids = ["sw-deletedsweep", "sw-deletedsweep", "sw-freshsweepid"];
        var next = 0;
        var store = new SweepStore(h.Connection, h.Options, h.Time, () => ids[next++]);
        var first = await store.SubmitAsync(TestPlans.Create(1), null);
        await store.DeleteSweepAsync(first.SweepId);

        var second = await store.SubmitAsync(TestPlans.Create(1), null);

        Assert.Equal("sw-freshsweepid", second.SweepId);
        Assert.Null(await h.Store.GetSweepAsync(first.SweepId));
    }

    [SkippableFact]
    public async Task DeclinedTrialStaysQueuedWithTheReasonUntilAWorkerStartsIt()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);
        var asked = new List<(string TrialId, double Lr)>();
        ValueTask<string?> NoRoom(string trialId, TrainingConfig config, CancellationToken _)
        {
            asked.Add((trialId, config.Lr));
            return ValueTask.FromResult<string?>("waiting: checkpoint volume has 1.0 GB free, needs 2.0 GB");
        }

        Assert.Null(await h.Queue.TryClaimAsync("worker-1", NoRoom));
        var since = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await h.Queue.TryClaimAsync("worker-1", NoRoom));

        Assert.Equal([sweep.TrialIds[0], sweep.TrialIds[1], sweep.TrialIds[0], sweep.TrialIds[1]], asked.Select(a => a.TrialId));
        Assert.Equal([0.001, 0.002], asked.Take(2).Select(a => a.Lr));
        var waiting = (await h.Store.GetTrialAsync(sweep.TrialIds[0]))!;
        Assert.Equal((TrialStatus.Queued, "waiting: checkpoint volume has 1.0 GB free, needs 2.0 GB", since), (waiting.Status, waiting.Waiting, waiting.WaitingSince));
        Assert.Equal(2, await h.Store.QueueDepthAsync());
        Assert.Empty(waiting.Attempts);

        // Another worker with room starts it; the note goes with the claim.
        var lease = await h.Queue.TryClaimAsync("worker-2", (_, _, _) => ValueTask.FromResult<string?>(null));
        Assert.Equal(sweep.TrialIds[0], lease?.TrialId);
        var started = (await h.Store.GetTrialAsync(sweep.TrialIds[0]))!;
        Assert.Equal((TrialStatus.Running, null, null), (started.Status, started.Waiting, started.WaitingSince));

        // A note on a trial that was then cancelled is not shown.
        Assert.True(await h.Store.CancelTrialAsync(sweep.TrialIds[1]));
        Assert.Null((await h.Store.GetTrialAsync(sweep.TrialIds[1]))!.Waiting);
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task KillNineInTheMiddleOfADeletionLosesNothingElseAndTheDeletionCompletes()
    {
        await using var server = await StartOwnServerAsync();
        var before = new QueueHarness(server.Connection, maxAttempts: 3);
        var doomed = await before.Store.SubmitAsync(TestPlans.Create(20 * SweepStore.PurgeBatch, "doomed"), null);
        before.Time.Advance(TimeSpan.FromSeconds(1));
        var kept = await before.Store.SubmitAsync(TestPlans.Create(3, "kept"), null);
        var running = (await before.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await before.Queue.RecordEpochAsync(running, TestPlans.Epoch(1)));

        // Delete on a connection of its own; kill the store as soon as the deletion is under way.
        await using var deleter = await server.ConnectAsync(timeoutMilliseconds: 2000);
        var deletion = before.On(deleter).Store.DeleteSweepAsync(doomed.SweepId);
        var watch = server.Connection.GetDatabase();
        while (!deletion.IsCompleted && !await watch.HashExistsAsync($"{before.Options.KeyPrefix}deleting", doomed.SweepId))
        {
        }

        server.Kill();
        await deletion.ContinueWith(_ => { }, TaskScheduler.Default);
        await server.RestartAsync();

        await using var connection = await server.ConnectAsync();
        var after = before.On(connection);
        var database = connection.GetDatabase();
        var prefix = before.Options.KeyPrefix;
        // What the restart found, for the failure messages.
        var found = $"after the restart: {(await after.KeysAsync()).Count} keys, " +
            $"deleting entry {await database.HashGetAsync(prefix + "deleting", doomed.SweepId)}, " +
            $"tombstone {await database.HashGetAsync(prefix + "sweep:" + doomed.SweepId, "deleted")}, " +
            $"listed {await database.SortedSetScoreAsync(prefix + "sweeps", doomed.SweepId) is not null}";
        // The deletion either never reached the store (the sweep is whole) or is finished now.
        if (await after.Store.GetSweepAsync(doomed.SweepId) is { } whole)
        {
            Assert.True(doomed.TrialIds.SequenceEqual((await after.Store.GetTrialsAsync(whole.Id)).Select(t => t.Id)), $"a visible sweep lost trials; {found}");
            Assert.NotNull(await after.Store.DeleteSweepAsync(doomed.SweepId));
        }
        else
        {
            await after.Store.FinishInterruptedDeletionsAsync();
        }

        Assert.True(await after.Queue.RenewAsync(running) == LeaseState.SweepDeleted, found);
        var left = await after.KeysAsync();
        Assert.True(
            left.SequenceEqual(["deleted", "queue", "sweep:" + kept.SweepId, "sweeps", .. kept.TrialIds.Select(id => "trial:" + id)]),
            $"keys left: {string.Join(", ", left.Take(12))}{(left.Count > 12 ? $" … ({left.Count})" : "")}; {found}");
        Assert.Equal(kept.TrialIds, (await after.Store.GetTrialsAsync(kept.SweepId)).Select(t => t.Id));
        Assert.Equal(3, await after.Store.QueueDepthAsync());
        Assert.Equal([doomed.SweepId], await after.Store.FindDeletedAsync([doomed.SweepId]));
    }

    /// <summary>What the first deletion script leaves when the store dies right after it.</summary>
    private static async Task TombstoneOnlyAsync(QueueHarness h, string sweepId, int trialCount)
    {
        var database = h.Connection.GetDatabase();
        var prefix = h.Options.KeyPrefix;
        await database.HashSetAsync($"{prefix}deleting", sweepId, trialCount);
        await database.HashSetAsync($"{prefix}sweep:{sweepId}", "deleted", h.Time.GetUtcNow().ToUnixTimeMilliseconds());
        await database.SortedSetRemoveAsync($"{prefix}sweeps", sweepId);
    }
}
