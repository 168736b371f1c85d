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
    public async Task FailedTrialIsRetriedThenParkedAfterMaxAttemptsFailuresWithEveryAttemptsReason()
    {
        var h = NewHarness(maxAttempts: 3);
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);

        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(first, TrialOutcome.Failed("CUDA error")));
        _ = (await h.Queue.TryClaimAsync("worker-2"))!;
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());
        var third = (await h.Queue.TryClaimAsync("worker-3"))!;
        // The lost worker was an interruption: two failures so far, so the trial is retried once more.
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(third, TrialOutcome.Failed("out of memory")));
        var fourth = (await h.Queue.TryClaimAsync("worker-4"))!;
        Assert.Equal(4, fourth.Attempt);
        Assert.Equal(TrialStatus.Failed, await h.Queue.FinishAsync(fourth, TrialOutcome.Failed("disk full")));

        var trial = await h.Store.GetTrialAsync(fourth.TrialId);
        Assert.Equal(TrialStatus.Failed, trial!.Status);
        Assert.Equal("disk full", trial.Reason);
        Assert.Equal((3, 1), (trial.Failures, trial.Interruptions));
        Assert.NotNull(trial.EndedAt);
        Assert.Equal([1, 2, 3, 4], trial.Attempts.Select(a => a.Attempt));
        Assert.Equal(["worker-1", "worker-2", "worker-3", "worker-4"], trial.Attempts.Select(a => a.Worker));
        Assert.Equal(["Failed", "LeaseExpired", "Failed", "Failed"], trial.Attempts.Select(a => a.Outcome));
        Assert.Equal(["CUDA error", "lease expired (worker lost)", "out of memory", "disk full"], trial.Attempts.Select(a => a.Reason));
        Assert.Equal(0, await h.Store.QueueDepthAsync());
        Assert.Null(await h.Queue.TryClaimAsync("worker-5"));
        Assert.Equal(1, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Failed]);
    }

    [SkippableFact]
    public async Task InterruptionsRequeueAtOnceWithoutSpendingTheTrialsAttempts()
    {
        var h = NewHarness(maxAttempts: 1, maxInterruptions: 10);
        await h.Store.SubmitAsync(TestPlans.Create(1), null);

        // A graceful stop, a lost worker, a store outage: none of them is the trial's fault.
        var stopped = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(stopped, TrialOutcome.Interrupted("worker stopped during the attempt")));
        _ = (await h.Queue.TryClaimAsync("worker-2"))!;
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());
        var outage = (await h.Queue.TryClaimAsync("worker-3"))!;
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(outage, TrialOutcome.Interrupted("store unreachable")));

        var trial = await h.Store.GetTrialAsync(stopped.TrialId);
        Assert.Equal(TrialStatus.Queued, trial!.Status);
        Assert.Equal((0, 3), (trial.Failures, trial.Interruptions));
        Assert.Equal(["Interrupted", "LeaseExpired", "Interrupted"], trial.Attempts.Select(a => a.Outcome));

        // Its one allowed failure is still there to spend.
        var last = (await h.Queue.TryClaimAsync("worker-4"))!;
        Assert.Equal(4, last.Attempt);
        Assert.Equal(TrialStatus.Failed, await h.Queue.FinishAsync(last, TrialOutcome.Failed("exception in training")));
        Assert.Equal("exception in training", (await h.Store.GetTrialAsync(last.TrialId))!.Reason);
    }

    [SkippableFact]
    public async Task TrialInterruptedMaxInterruptionsTimesIsParkedAsFailedSayingSo()
    {
        var h = NewHarness(maxAttempts: 3, maxInterruptions: 2);
        await h.Store.SubmitAsync(TestPlans.Create(2), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());
        Assert.Equal(TrialStatus.Queued, (await h.Store.GetTrialAsync(lease.TrialId))!.Status);

        var again = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(lease.TrialId, again.TrialId);
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        var trial = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Failed, trial!.Status);
        Assert.Equal("lease expired (worker lost); interrupted 2 times", trial.Reason);
        Assert.Equal((0, 2), (trial.Failures, trial.Interruptions));

        // The same budget holds for interruptions the worker reports itself.
        var other = (await h.Queue.TryClaimAsync("worker-3"))!;
        Assert.NotEqual(lease.TrialId, other.TrialId);
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(other, TrialOutcome.Interrupted("worker stopped during the attempt")));
        other = (await h.Queue.TryClaimAsync("worker-3"))!;
        Assert.Equal(TrialStatus.Failed, await h.Queue.FinishAsync(other, TrialOutcome.Interrupted("worker stopped during the attempt")));
        Assert.Equal("worker stopped during the attempt; interrupted 2 times", (await h.Store.GetTrialAsync(other.TrialId))!.Reason);
    }
}
