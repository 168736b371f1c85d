using Experiments.Tests.Shared;
using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task SubmittedSweepIsFullyVisible()
    {
        var h = NewHarness(maxAttempts: 4);
        var plan = TestPlans.Create(3);

        var submitted = await h.Store.SubmitAsync(plan, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        Assert.Matches("^sw-[a-z2-7]{12}$", submitted.SweepId);
        Assert.Equal([$"{submitted.SweepId}-0000", $"{submitted.SweepId}-0001", $"{submitted.SweepId}-0002"], submitted.TrialIds);
        var sweep = await h.Store.GetSweepAsync(submitted.SweepId);
        Assert.NotNull(sweep);
        Assert.Equal((plan.Name, plan.Method, plan.Metric, plan.SourceText), (sweep.Name, sweep.Method, sweep.Metric, sweep.SourceText));
        Assert.Equal(h.Time.GetUtcNow(), sweep.CreatedAt);
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", sweep.TraceParent);
        Assert.Equal(submitted.TrialIds, sweep.TrialIds);

        var trials = await h.Store.GetTrialsAsync(submitted.SweepId);
        Assert.Equal(submitted.TrialIds, trials.Select(t => t.Id));
        for (var i = 0; i < trials.Count; i++)
        {
            Assert.Equal(plan.Trials[i].Config, trials[i].Config);
            Assert.Equal(plan.Trials[i].Parameters, trials[i].Parameters);
            Assert.Equal((i, TrialStatus.Queued, 0, 4), (trials[i].Index, trials[i].Status, trials[i].Attempt, trials[i].MaxAttempts));
            Assert.Equal(submitted.SweepId, trials[i].SweepId);
            Assert.Empty(trials[i].Attempts);
        }

        Assert.Equal(3, await h.Store.QueueDepthAsync());
        Assert.Equal(3, (await h.Store.GetSweepSummaryAsync(submitted.SweepId))!.StatusCounts[TrialStatus.Queued]);
    }

    [SkippableFact]
    public async Task SubmitThatCollidesMidwayWritesNothingAndRetriesUnderAFreshId()
    {
        var h = NewHarness();
        string[] ids = ["sw-collidingidx", "sw-freshsweepid"];
        var next = 0;
        var store = new SweepStore(h.Connection, h.Options, h.Time, () => ids[next++]);
        // Something already holds the key of the colliding sweep's LAST trial: the submit can only notice it midway.
        var database = h.Connection.GetDatabase();
        await database.StringSetAsync($"{h.Options.KeyPrefix}trial:sw-collidingidx-0004", "taken");

        var submitted = await store.SubmitAsync(TestPlans.Create(5), null);

        Assert.Equal("sw-freshsweepid", submitted.SweepId);
        Assert.Null(await h.Store.GetSweepAsync("sw-collidingidx"));
        for (var i = 0; i < 4; i++)
        {
            Assert.False(await database.KeyExistsAsync($"{h.Options.KeyPrefix}trial:sw-collidingidx-{i:D4}"));
        }

        Assert.Equal("taken", await database.StringGetAsync($"{h.Options.KeyPrefix}trial:sw-collidingidx-0004"));
        Assert.Equal(5, await h.Store.QueueDepthAsync());
        Assert.Equal(["sw-freshsweepid"], (await h.Store.ListSweepsAsync()).Select(s => s.Sweep.Id));
    }

    [SkippableFact]
    public async Task SubmitWakesSubscribedWorkers()
    {
        var h = NewHarness();
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.Queue.SubscribeToWorkAsync(() => woken.TrySetResult());

        await h.Store.SubmitAsync(TestPlans.Create(1), null);

        await woken.Task.WaitAsync(Eventually.DefaultTimeout);
    }

    [SkippableFact]
    public async Task ListSweepsReturnsNewestFirstWithStatusCounts()
    {
        var h = NewHarness();
        var older = await h.Store.SubmitAsync(TestPlans.Create(2, "older"), null);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var newer = await h.Store.SubmitAsync(TestPlans.Create(3, "newer"), null);
        await h.Store.CancelTrialAsync(newer.TrialIds[2]);

        var sweeps = await h.Store.ListSweepsAsync();

        Assert.Equal([newer.SweepId, older.SweepId], sweeps.Select(s => s.Sweep.Id));
        Assert.Equal(2, sweeps[0].StatusCounts[TrialStatus.Queued]);
        Assert.Equal(1, sweeps[0].StatusCounts[TrialStatus.Cancelled]);
        Assert.Equal(2, sweeps[1].StatusCounts[TrialStatus.Queued]);
        Assert.Equal([older.SweepId], (await h.Store.ListSweepsAsync(skip: 1, take: 5)).Select(s => s.Sweep.Id));
    }

    [SkippableFact]
    public async Task TwoThousandTrialsAreSubmittedAndReadBackInOrder()
    {
        // Speed at this scale is bench/dashboard-scale's figure; here only correctness.
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TestPlans.Create(2000), null);
        var trials = await h.Store.GetTrialsAsync(submitted.SweepId);

        Assert.Equal(2000, trials.Count);
        Assert.Equal(submitted.TrialIds, trials.Select(t => t.Id));
        Assert.Equal(2000, await h.Store.QueueDepthAsync());
    }
}
