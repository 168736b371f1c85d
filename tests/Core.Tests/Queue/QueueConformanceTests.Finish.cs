using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task CompletedTrialKeepsItsEvaluationsAndReleasesItsLease()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        h.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TrialStatus.Completed, await h.Queue.FinishAsync(lease, TrialOutcome.Completed([TestPlans.Evaluation()])));

        var trial = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Completed, trial!.Status);
        Assert.Null(trial.Owner);
        Assert.Equal(h.Time.GetUtcNow(), trial.EndedAt);
        var evaluation = Assert.Single(trial.Evaluations);
        Assert.Equal(TestPlans.Evaluation().PerClass, evaluation.PerClass);
        Assert.Equal([[50, 50], [10, 90]], evaluation.ConfusionMatrix.Select(row => row.ToArray()));
        var attempt = Assert.Single(trial.Attempts);
        Assert.Equal(new AttemptRecord(1, "worker-1", h.Time.GetUtcNow() - TimeSpan.FromSeconds(5), h.Time.GetUtcNow(), "Completed", null), attempt);

        // Its lease is gone: nothing to reap later, and the counts moved.
        await h.ExpireLeasesAsync();
        Assert.Equal(0, await h.Queue.ReapExpiredAsync());
        var summary = await h.Store.GetSweepSummaryAsync(sweep.SweepId);
        Assert.Equal(1, summary!.StatusCounts[TrialStatus.Completed]);
        Assert.Equal(0, summary.StatusCounts[TrialStatus.Running]);
    }

    [SkippableFact]
    public async Task FailedTrialIsRetriedThenParkedAfterMaxAttemptsWithEveryAttemptsReason()
    {
        var h = NewHarness(maxAttempts: 3);
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);

        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(first, TrialOutcome.Failed("CUDA error")));
        _ = (await h.Queue.TryClaimAsync("worker-2"))!;
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());
        var third = (await h.Queue.TryClaimAsync("worker-3"))!;
        Assert.Equal(3, third.Attempt);
        Assert.Equal(TrialStatus.Failed, await h.Queue.FinishAsync(third, TrialOutcome.Failed("disk full")));

        var trial = await h.Store.GetTrialAsync(third.TrialId);
        Assert.Equal(TrialStatus.Failed, trial!.Status);
        Assert.Equal("disk full", trial.Reason);
        Assert.NotNull(trial.EndedAt);
        Assert.Equal([1, 2, 3], trial.Attempts.Select(a => a.Attempt));
        Assert.Equal(["worker-1", "worker-2", "worker-3"], trial.Attempts.Select(a => a.Worker));
        Assert.Equal(["Failed", "LeaseExpired", "Failed"], trial.Attempts.Select(a => a.Outcome));
        Assert.Equal(["CUDA error", "lease expired (worker lost)", "disk full"], trial.Attempts.Select(a => a.Reason));
        Assert.Equal(0, await h.Store.QueueDepthAsync());
        Assert.Null(await h.Queue.TryClaimAsync("worker-4"));
        Assert.Equal(1, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Failed]);
    }

    [SkippableFact]
    public async Task TrialWhoseLastAttemptsLeaseExpiresIsParkedAsFailed()
    {
        var h = NewHarness(maxAttempts: 1);
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;

        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        var trial = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Failed, trial!.Status);
        Assert.Equal("lease expired (worker lost)", trial.Reason);
        Assert.Null(await h.Queue.TryClaimAsync("worker-2"));
    }
}
