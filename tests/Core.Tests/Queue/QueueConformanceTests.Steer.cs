using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task ACancelledCallerChangesNothingAndReadsNothing()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        var cancelled = new CancellationToken(canceled: true);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Store.CancelTrialAsync(sweep.TrialIds[1], cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Store.RequeueTrialAsync(sweep.TrialIds[1], cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1), cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Queue.FinishAsync(lease, TrialOutcome.Completed([]), cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Store.GetTrialsAsync(sweep.SweepId, cancelled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Queue.TryClaimAsync("worker-2", cancelled));

        Assert.Equal(TrialStatus.Queued, (await h.Store.GetTrialAsync(sweep.TrialIds[1]))!.Status);
        Assert.Equal(TrialStatus.Running, (await h.Store.GetTrialAsync(sweep.TrialIds[0]))!.Status);
        Assert.Empty(await h.Store.GetEpochsAsync(sweep.TrialIds[0]));
    }

    [SkippableFact]
    public async Task CancellingAQueuedTrialRemovesItFromTheQueue()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(2), null);

        Assert.True(await h.Store.CancelTrialAsync(sweep.TrialIds[0]));

        var trial = await h.Store.GetTrialAsync(sweep.TrialIds[0]);
        Assert.Equal(TrialStatus.Cancelled, trial!.Status);
        Assert.Equal(h.Time.GetUtcNow(), trial.EndedAt);
        Assert.Equal(1, await h.Store.QueueDepthAsync());
        Assert.Equal(sweep.TrialIds[1], (await h.Queue.TryClaimAsync("worker-1"))!.TrialId);
        Assert.Null(await h.Queue.TryClaimAsync("worker-1"));
        Assert.False(await h.Store.CancelTrialAsync(sweep.TrialIds[0]));
    }

    [SkippableFact]
    public async Task CancellingARunningTrialFlagsItUntilItsWorkerFinishesItCancelled()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;

        Assert.True(await h.Store.CancelTrialAsync(lease.TrialId));

        var flagged = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Running, flagged!.Status);
        Assert.True(flagged.CancelRequested);
        Assert.Equal(LeaseState.CancelRequested, await h.Queue.RenewAsync(lease));
        Assert.Equal(TrialStatus.Cancelled, await h.Queue.FinishAsync(lease, TrialOutcome.Cancelled("cancelled at epoch 2")));
        Assert.Equal(TrialStatus.Cancelled, (await h.Store.GetTrialAsync(lease.TrialId))!.Status);
    }

    [SkippableFact]
    public async Task CancelledRunningTrialWhoseWorkerIsLostEndsCancelledNotRetried()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.Store.CancelTrialAsync(lease.TrialId);

        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        Assert.Equal(TrialStatus.Cancelled, (await h.Store.GetTrialAsync(lease.TrialId))!.Status);
        Assert.Null(await h.Queue.TryClaimAsync("worker-2"));
    }

    [SkippableFact]
    public async Task CancellingASweepCancelsQueuedAndFlagsRunningTrials()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(4), null);
        var done = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.Queue.FinishAsync(done, TrialOutcome.Completed([]));
        var running = (await h.Queue.TryClaimAsync("worker-2"))!;

        Assert.Equal(3, await h.Store.CancelSweepAsync(sweep.SweepId));

        var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
        Assert.Equal([TrialStatus.Completed, TrialStatus.Running, TrialStatus.Cancelled, TrialStatus.Cancelled], trials.Select(t => t.Status));
        Assert.True(trials[1].CancelRequested);
        Assert.Equal(0, await h.Store.QueueDepthAsync());
        Assert.Equal(LeaseState.CancelRequested, await h.Queue.RenewAsync(running));

        var counts = (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts;
        Assert.Equal((1, 1, 2, 0), (counts[TrialStatus.Completed], counts[TrialStatus.Running], counts[TrialStatus.Cancelled], counts[TrialStatus.Queued]));
    }

    [SkippableFact]
    public async Task RequeuedFailedTrialGetsAFreshAttemptBudgetAndRunsBeforeFreshTrials()
    {
        var h = NewHarness(maxAttempts: 1);
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(3), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1)));
        Assert.Equal(TrialStatus.Failed, await h.Queue.FinishAsync(lease, TrialOutcome.Failed("driver crash")));
        Assert.False(await h.Store.RequeueTrialAsync(sweep.TrialIds[1]), "a queued trial is not requeued");
        h.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await h.Store.RequeueTrialAsync(lease.TrialId));

        var requeued = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Queued, requeued!.Status);
        Assert.Equal((1, 2), (requeued.Attempt, requeued.MaxAttempts));
        Assert.Null(requeued.Reason);
        Assert.Null(requeued.EndedAt);

        var again = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(lease.TrialId, again.TrialId);
        Assert.Equal(2, again.Attempt);
        Assert.Equal(1, again.LastRecordedEpoch);
        Assert.False(await h.Store.RequeueTrialAsync(lease.TrialId), "a running trial is not requeued");
        Assert.Equal(TrialStatus.Completed, await h.Queue.FinishAsync(again, TrialOutcome.Completed([])));
        Assert.False(await h.Store.RequeueTrialAsync(lease.TrialId), "a completed trial is not requeued");
    }

    [SkippableFact]
    public async Task RequeuedCancelledTrialCanBeCancelledAgain()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        await h.Store.CancelTrialAsync(sweep.TrialIds[0]);

        Assert.True(await h.Store.RequeueTrialAsync(sweep.TrialIds[0]));
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(lease));
        Assert.True(await h.Store.CancelTrialAsync(sweep.TrialIds[0]));
        Assert.Equal(LeaseState.CancelRequested, await h.Queue.RenewAsync(lease));
    }

    [SkippableFact]
    public async Task UnknownIdsAreReportedAsNotFound()
    {
        var h = NewHarness();
        Assert.Null(await h.Store.GetSweepAsync("sw-doesnotexist"));
        Assert.Null(await h.Store.GetTrialAsync("sw-doesnotexist-0000"));
        Assert.Empty(await h.Store.GetTrialsAsync("sw-doesnotexist"));
        Assert.False(await h.Store.CancelTrialAsync("not-a-trial"));
        Assert.False(await h.Store.RequeueTrialAsync("sw-doesnotexist-0000"));
        Assert.Equal(0, await h.Store.CancelSweepAsync("sw-doesnotexist"));
    }

    [SkippableFact]
    public async Task AnIdThatWouldNameAnotherKeyIsNotFoundAndNamesNothing()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var trialId = sweep.TrialIds[0];
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1));

        // "<trial>:attempts" is the attempts list and "<trial>:epochs" the epochs hash: neither is a trial.
        foreach (var suffix in new[] { ":attempts", ":epochs", ":x", "/0", " " })
        {
            Assert.Null(await h.Store.GetTrialAsync(trialId + suffix));
            Assert.Empty(await h.Store.GetEpochsAsync(trialId + suffix));
            Assert.False(await h.Store.CancelTrialAsync(trialId + suffix));
            Assert.False(await h.Store.RequeueTrialAsync(trialId + suffix));
            Assert.Null(await h.Store.GetSweepAsync(sweep.SweepId + suffix));
            Assert.Empty(await h.Store.GetTrialsAsync(sweep.SweepId + suffix));
            Assert.Equal(0, await h.Store.CancelSweepAsync(sweep.SweepId + suffix));
        }

        Assert.Equal(TrialStatus.Running, (await h.Store.GetTrialAsync(trialId))!.Status);
        Assert.Single(await h.Store.GetEpochsAsync(trialId));
    }
}
