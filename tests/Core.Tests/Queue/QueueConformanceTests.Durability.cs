using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [Trait("Category", "Slow")] // kill -9 and restart of the store
    [SkippableFact]
    public async Task AcknowledgedWritesSurviveKillNineAndRestart()
    {
        await using var server = await StartOwnServerAsync();
        var before = new QueueHarness(server.Connection, maxAttempts: 3);
        var submitted = await before.Store.SubmitAsync(TestPlans.Create(50), null);
        var lease = (await before.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await before.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1)));

        await server.RestartAsync(); // kill -9, then start on the same data

        await using var connection = await server.ConnectAsync();
        var after = before.On(connection);
        var trials = await after.Store.GetTrialsAsync(submitted.SweepId);
        Assert.Equal(submitted.TrialIds, trials.Select(t => t.Id));
        Assert.Equal(TrialStatus.Running, trials[0].Status);
        Assert.Equal(49, await after.Store.QueueDepthAsync());
        Assert.Single(await after.Store.GetEpochsAsync(lease.TrialId));

        // The protocol carries on where it stopped (the restarted server has to be sent the scripts again).
        Assert.Equal(LeaseState.Held, await after.Queue.RenewAsync(lease));
        Assert.Equal(TrialStatus.Completed, await after.Queue.FinishAsync(lease, TrialOutcome.Completed([])));
        Assert.Equal(submitted.TrialIds[1], (await after.Queue.TryClaimAsync("worker-2"))!.TrialId);
    }

    [Trait("Category", "Slow")] // kill -9 and restart of the store
    [SkippableFact]
    public async Task SubmitsCutShortByAStoreCrashAreAllOrNothing()
    {
        await using var server = await StartOwnServerAsync();
        var before = new QueueHarness(server.Connection, maxAttempts: 3);

        // Kill the store as soon as a small submit is acknowledged, while large ones (sent on another connection,
        // so they do not delay that acknowledgement) are still being written.
        await using var bulk = await server.ConnectAsync(timeoutMilliseconds: 2000);
        var large = Enumerable.Range(0, 4).Select(_ => before.On(bulk).Store.SubmitAsync(TestPlans.Create(500, "large"), null)).ToArray();
        var small = before.Store.SubmitAsync(TestPlans.Create(1, "small"), null);
        var acknowledged = new HashSet<string> { (await small).SweepId };
        server.Kill();
        await Task.WhenAll(large.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        acknowledged.UnionWith(large.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result.SweepId));
        await server.RestartAsync();

        await using var connection = await server.ConnectAsync();
        var after = before.On(connection);
        var sweeps = await after.Store.ListSweepsAsync();
        Assert.Superset(acknowledged, sweeps.Select(s => s.Sweep.Id).ToHashSet());
        foreach (var sweep in sweeps)
        {
            var size = sweep.Sweep.Name == "small" ? 1 : 500;
            Assert.Equal(size, sweep.Sweep.TrialIds.Count);
            Assert.Equal(size, sweep.StatusCounts[TrialStatus.Queued]);
            Assert.All(await after.Store.GetTrialsAsync(sweep.Sweep.Id), t => Assert.Equal(TrialStatus.Queued, t.Status));
        }

        // Workers get every trial of every stored sweep, and nothing of a sweep whose submit was cut short.
        var claimed = new List<string>();
        while (await after.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            claimed.Add(lease.TrialId);
        }

        Assert.Equal(sweeps.SelectMany(s => s.Sweep.TrialIds).Order(), claimed.Order());
        Assert.Equal(0, await after.Store.QueueDepthAsync());
    }

    [Trait("Category", "Slow")] // kill -9 and restart of the store
    [SkippableFact]
    public async Task ReaperRequeuesATrialWhoseClaimACrashCutShort()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        // What a claim's first two writes leave if the store dies right after them (Garnet can replay such a
        // prefix): a lease entry, and the trial out of the queue but still Queued.
        var database = h.Connection.GetDatabase();
        var expiry = (h.Time.GetUtcNow() + h.Options.LeaseDuration).ToUnixTimeMilliseconds();
        await database.SortedSetAddAsync($"{h.Options.KeyPrefix}leases", sweep.TrialIds[0], expiry);
        await database.SortedSetRemoveAsync($"{h.Options.KeyPrefix}queue", sweep.TrialIds[0]);
        Assert.Null(await h.Queue.TryClaimAsync("worker-1"));

        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        var lease = await h.Queue.TryClaimAsync("worker-1");
        Assert.Equal(sweep.TrialIds[0], lease?.TrialId);
        Assert.Equal(1, lease?.Attempt);
    }

    private async Task<StoreServer> StartOwnServerAsync()
    {
        Skip.If(Server.UnavailableReason is not null, Server.UnavailableReason);
        var server = CreateServer();
        await server.InitializeAsync();
        return server;
    }
}
