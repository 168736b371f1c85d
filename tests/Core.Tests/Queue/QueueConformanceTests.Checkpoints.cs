using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task EpochRecordCommitsItsCheckpointFilesAndTheNextAttemptResumesFromThem()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(TrialCheckpoints.Fixed, first.Checkpoints);

        await RecordAsync(h, first, 1, new("e1-a1", "e1-a1"));
        // Epoch 2 did not improve: best stays epoch 1's file.
        await RecordAsync(h, first, 2, new("e2-a1", "e1-a1"));
        Assert.Equal(new TrialCheckpoints("e2-a1", "e1-a1"), (await h.Store.GetTrialAsync(first.TrialId))!.Checkpoints);

        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());
        var second = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(new TrialCheckpoints("e2-a1", "e1-a1"), second.Checkpoints);

        // The resumed attempt re-reports the epoch it resumed from, naming the files it resumed from: nothing moves.
        Assert.Equal(EpochWrite.AlreadyRecorded, (await h.Queue.RecordEpochAsync(second, TestPlans.Epoch(2), null, second.Checkpoints)).Write);
        await RecordAsync(h, second, 3, new("e3-a2", "e3-a2"));
        var trial = (await h.Store.GetTrialAsync(second.TrialId))!;
        Assert.Equal(new TrialCheckpoints("e3-a2", "e3-a2"), trial.Checkpoints);
        Assert.Equal(3, trial.LastEpoch);
    }

    [SkippableFact]
    public async Task AZombieAttemptsCheckpointFilesAreNeverCommitted()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var zombie = (await h.Queue.TryClaimAsync("worker-1"))!;
        await RecordAsync(h, zombie, 1, new("e1-a1", "e1-a1"));
        await h.ExpireLeasesAsync();
        await h.Queue.ReapExpiredAsync();
        var current = (await h.Queue.TryClaimAsync("worker-2"))!;

        // The paused attempt wakes, writes epoch 2 to files of its own and reports them: refused, nothing committed.
        var refused = await h.Queue.RecordEpochAsync(zombie, TestPlans.Epoch(2, trainLoss: 9.9), null, new TrialCheckpoints("e2-a1", "e2-a1"));
        Assert.Equal(EpochWrite.LeaseLost, refused.Write);
        Assert.Equal(new TrialCheckpoints("e1-a1", "e1-a1"), (await h.Store.GetTrialAsync(current.TrialId))!.Checkpoints);

        // Also after the current attempt has committed files of its own, and once the trial has completed.
        await RecordAsync(h, current, 2, new("e2-a2", "e1-a1"));
        Assert.Equal(EpochWrite.LeaseLost, (await h.Queue.RecordEpochAsync(zombie, TestPlans.Epoch(3), null, new TrialCheckpoints("e3-a1", "e3-a1"))).Write);
        Assert.Equal(TrialStatus.Completed, await h.Queue.FinishAsync(current, TrialOutcome.Completed([TestPlans.Evaluation()])));
        Assert.Equal(EpochWrite.LeaseLost, (await h.Queue.RecordEpochAsync(zombie, TestPlans.Epoch(3), null, new TrialCheckpoints("e3-a1", "e3-a1"))).Write);

        var trial = (await h.Store.GetTrialAsync(current.TrialId))!;
        Assert.Equal(new TrialCheckpoints("e2-a2", "e1-a1"), trial.Checkpoints);
        Assert.Equal([("best", "e1-a1"), ("last", "e2-a2")], TrialCheckpoints.Offered(trial));
    }

    [SkippableFact]
    public async Task ARecordWithoutCommittedCheckpointsMeansTheFixedFilesAndIsResumedFromThem()
    {
        // A trial recorded before per-attempt files: epochs and last_epoch, no checkpoint fields; its files are last/best.
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var old = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(old, TestPlans.Epoch(1)));
        var record = (await h.Store.GetTrialAsync(old.TrialId))!;
        Assert.Equal(TrialCheckpoints.Fixed, record.Checkpoints);

        await h.ExpireLeasesAsync();
        await h.Queue.ReapExpiredAsync();
        var next = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(TrialCheckpoints.Fixed, next.Checkpoints);
        // Resuming from the fixed files commits them by name; the next epoch moves to the new layout.
        Assert.Equal(EpochWrite.AlreadyRecorded, (await h.Queue.RecordEpochAsync(next, TestPlans.Epoch(1), null, new TrialCheckpoints("last", "best"))).Write);
        Assert.Equal(new TrialCheckpoints("last", "best"), (await h.Store.GetTrialAsync(next.TrialId))!.Checkpoints);
        await RecordAsync(h, next, 2, new("e2-a2", "best"));
        Assert.Equal(new TrialCheckpoints("e2-a2", "best"), (await h.Store.GetTrialAsync(next.TrialId))!.Checkpoints);
    }

    private static async Task RecordAsync(QueueHarness h, TrialLease lease, int epoch, TrialCheckpoints files) =>
        Assert.Equal(EpochWrite.Recorded, (await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(epoch), null, files)).Write);
}
