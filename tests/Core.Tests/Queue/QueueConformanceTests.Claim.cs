using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task ClaimTakesTheFirstQueuedTrialAndMarksItRunning()
    {
        var h = NewHarness();
        var plan = TestPlans.Create(3);
        var sweep = await h.Store.SubmitAsync(plan, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        var lease = await h.Queue.TryClaimAsync("worker-1");

        Assert.NotNull(lease);
        Assert.Equal(sweep.TrialIds[0], lease.TrialId);
        Assert.Equal(sweep.SweepId, lease.SweepId);
        Assert.Equal(1, lease.Attempt);
        Assert.Equal("worker-1", lease.Owner);
        Assert.Equal(plan.Trials[0].Config, lease.Config);
        Assert.Equal(0, lease.LastRecordedEpoch);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", lease.TraceParent);

        var trial = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.NotNull(trial);
        Assert.Equal(TrialStatus.Running, trial.Status);
        Assert.Equal("worker-1", trial.Owner);
        Assert.Equal(h.Time.GetUtcNow(), trial.StartedAt);
        var attempt = Assert.Single(trial.Attempts);
        Assert.Equal(new AttemptRecord(1, "worker-1", h.Time.GetUtcNow(), null, null, null), attempt);
        Assert.Equal(2, await h.Store.QueueDepthAsync());

        var summary = await h.Store.GetSweepSummaryAsync(sweep.SweepId);
        Assert.Equal(1, summary!.StatusCounts[TrialStatus.Running]);
        Assert.Equal(2, summary.StatusCounts[TrialStatus.Queued]);
    }

    [SkippableFact]
    public async Task ClaimReturnsNullWhenTheQueueIsEmpty()
    {
        var h = NewHarness();
        Assert.Null(await h.Queue.TryClaimAsync("worker-1"));

        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        Assert.NotNull(await h.Queue.TryClaimAsync("worker-1"));
        Assert.Null(await h.Queue.TryClaimAsync("worker-2"));
    }

    [SkippableFact]
    public async Task ConcurrentClaimsNeverReturnTheSameTrial()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(40), null);
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Server.ConnectAsync()));
        try
        {
            // Four worker processes, each with its own connection, race 15 claims each for 40 trials.
            var claims = connections.SelectMany((connection, w) =>
            {
                var queue = h.QueueOn(connection);
                return Enumerable.Range(0, 15).Select(c => queue.TryClaimAsync($"worker-{w}-{c}"));
            });
            var leases = await Task.WhenAll(claims);

            var granted = leases.OfType<TrialLease>().ToList();
            Assert.Equal(40, granted.Count);
            Assert.Equal(sweep.TrialIds.Order(), granted.Select(l => l.TrialId).Order());
            Assert.All(granted, l => Assert.Equal(1, l.Attempt));
            var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
            Assert.All(trials, t => Assert.Single(t.Attempts));
            Assert.Equal(0, await h.Store.QueueDepthAsync());
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task RetriedAndResumedTrialsAreClaimedBeforeFreshOnes()
    {
        var h = NewHarness();
        var first = await h.Store.SubmitAsync(TestPlans.Create(4, "first"), null);
        var lost = await h.Queue.TryClaimAsync("worker-1");
        var failed = await h.Queue.TryClaimAsync("worker-2");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await h.Store.SubmitAsync(TestPlans.Create(2, "second"), null);

        // Trial 1's attempt fails (retried now); trial 0's worker disappears (resumed once the reaper sees it).
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(failed!, TrialOutcome.Failed("out of memory")));
        // Requeue order is the store's clock in ms: let it tick so the two requeues cannot share a millisecond.
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        var order = new List<string>();
        while (await h.Queue.TryClaimAsync("worker-3") is { } lease)
        {
            order.Add(lease.TrialId);
        }

        // Requeued work first (in requeue order), then fresh trials in submission and expansion order.
        Assert.Equal(first.TrialIds[0], lost!.TrialId);
        string[] expected = [first.TrialIds[1], first.TrialIds[0], first.TrialIds[2], first.TrialIds[3], second.TrialIds[0], second.TrialIds[1]];
        Assert.Equal(expected, order);
    }
}
