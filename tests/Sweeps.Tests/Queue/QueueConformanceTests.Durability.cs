using Experiments.Sweeps.Queue;
using Experiments.Sweeps.Records;
using Experiments.Sweeps.Tests.Fixtures;

namespace Experiments.Sweeps.Tests.Queue;

public abstract partial class QueueConformanceTests
{
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

    [SkippableFact]
    public async Task SubmitCutShortByAStoreCrashIsAllOrNothing()
    {
        await using var server = await StartOwnServerAsync();
        var before = new QueueHarness(server.Connection, maxAttempts: 3);

        // Kill the store while large submits are in flight: what was not acknowledged may be lost, but no sweep
        // may come back half-written.
        var submits = Enumerable.Range(0, 4).Select(_ => before.Store.SubmitAsync(TestPlans.Create(500), null)).ToArray();
        await Task.Delay(30);
        server.Kill();
        await Task.WhenAll(submits.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        var acknowledged = submits.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result.SweepId).ToHashSet();
        await server.RestartAsync();

        await using var connection = await server.ConnectAsync();
        var after = before.On(connection);
        var sweeps = await after.Store.ListSweepsAsync();
        Assert.Superset(acknowledged, sweeps.Select(s => s.Sweep.Id).ToHashSet());
        foreach (var sweep in sweeps)
        {
            Assert.Equal(500, (await after.Store.GetTrialsAsync(sweep.Sweep.Id)).Count);
            Assert.Equal(500, sweep.StatusCounts[TrialStatus.Queued]);
        }

        Assert.Equal(500 * sweeps.Count, await after.Store.QueueDepthAsync());
    }

    private async Task<StoreServer> StartOwnServerAsync()
    {
        Skip.If(Server.UnavailableReason is not null, Server.UnavailableReason);
        var server = CreateServer();
        await server.InitializeAsync();
        return server;
    }
}
