using System.Diagnostics;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task RenewalKeepsTheLeasePastItsFirstExpiry()
    {
        // A real lease on the store's clock: renewed for three lease durations, then left to lapse.
        var lease = TimeSpan.FromSeconds(1);
        var h = NewHarness(leaseDuration: lease);
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var claimed = (await h.Queue.TryClaimAsync("worker-1"))!;

        var held = Stopwatch.StartNew();
        var sinceRenewal = Stopwatch.StartNew();
        var provenHeld = 0;
        // Until three renewals were each followed by a reap within the lease, and three lease durations went by; a busy
        // machine only makes it take longer (the ceiling is for a store that never answers).
        while (held.Elapsed < 3 * lease || provenHeld < 3)
        {
            Assert.True(held.Elapsed < Eventually.DefaultTimeout, $"only {provenHeld} renewals were followed by a reap within the lease");
            sinceRenewal.Restart();
            Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(claimed));
            var reaped = await h.Queue.ReapExpiredAsync();
            // Sent less than a lease after the renewal was sent, the reap must find the lease held.
            if (sinceRenewal.Elapsed < lease)
            {
                Assert.Equal(0, reaped);
                provenHeld++;
            }
            else if (reaped == 1)
            {
                // A stall longer than the lease between the two (a busy machine): the store rightly took the trial
                // back. That proves nothing either way; claim it again and go on.
                claimed = (await h.Queue.TryClaimAsync("worker-1"))!;
            }

            await Task.Delay(lease / 4);
        }

        var trial = await h.Store.GetTrialAsync(claimed.TrialId);
        Assert.Equal(TrialStatus.Running, trial!.Status);
        Assert.Equal(claimed.Attempt, trial.Attempt);

        // Without renewal the lease lapses once the store's clock passes its deadline, not before.
        sinceRenewal.Restart();
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(claimed));
        await Eventually.UntilAsync(async () => await h.Queue.ReapExpiredAsync() == 1, "the unrenewed lease to be reaped", interval: TimeSpan.FromMilliseconds(50));
        Assert.True(sinceRenewal.Elapsed >= lease, $"reaped {sinceRenewal.Elapsed} after a renewal of {lease}");
        Assert.Equal(LeaseState.Lost, await h.Queue.RenewAsync(claimed));
    }

    [SkippableFact]
    public async Task LeaseDeadlinesFollowTheStoresClockWhateverTheCallersClockSays()
    {
        var h = NewHarness();
        // Callers an hour ahead of the store: by their clock every lease of 30 s has long expired.
        h.Time.SetUtcNow(await h.StoreNowAsync() + TimeSpan.FromHours(1));
        await h.Store.SubmitAsync(TestPlans.Create(2), null);
        var before = await h.StoreNowAsync();
        var claimed = (await h.Queue.TryClaimAsync("worker-ahead"))!;
        var after = await h.StoreNowAsync();

        var deadline = await h.LeaseDeadlineAsync(claimed.TrialId);
        Assert.InRange(deadline!.Value, before + h.Options.LeaseDuration, after + h.Options.LeaseDuration);
        Assert.Equal(0, await h.Queue.ReapExpiredAsync());
        Assert.Equal(LeaseState.Held, await h.Queue.RenewAsync(claimed));
        Assert.Equal(0, await h.Queue.ReapExpiredAsync());

        // And a caller an hour behind: its renewals still move the deadline forward on the store's clock.
        var behind = new TrialQueue(h.Connection, h.Options, new FakeTimeProvider(before - TimeSpan.FromHours(1)));
        var renewedAt = await h.StoreNowAsync();
        Assert.Equal(LeaseState.Held, await behind.RenewAsync(claimed));
        Assert.Equal(0, await behind.ReapExpiredAsync());
        Assert.True(await h.LeaseDeadlineAsync(claimed.TrialId) >= renewedAt + h.Options.LeaseDuration);
        Assert.Equal(TrialStatus.Running, (await h.Store.GetTrialAsync(claimed.TrialId))!.Status);
    }

    [SkippableFact]
    public async Task ExpiredLeaseIsReapedAndTheNextAttemptResumesAfterTheLastRecordedEpoch()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1)));
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(2)));

        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());

        var reaped = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Queued, reaped!.Status);
        Assert.Null(reaped.Owner);
        var first = Assert.Single(reaped.Attempts);
        Assert.Equal("LeaseExpired", first.Outcome);
        Assert.Equal("lease expired (worker lost)", first.Reason);
        Assert.Equal(h.Time.GetUtcNow(), first.EndedAt);

        var resumed = await h.Queue.TryClaimAsync("worker-2");
        Assert.NotNull(resumed);
        Assert.Equal(lease.TrialId, resumed.TrialId);
        Assert.Equal(2, resumed.Attempt);
        Assert.Equal(2, resumed.LastRecordedEpoch);
    }

    [SkippableFact]
    public async Task ReapedTrialsAreNamedWithTheirNewStatusAndSubmitTraceContext()
    {
        var h = NewHarness();
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await h.Store.SubmitAsync(TestPlans.Create(1), traceParent);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;

        await h.ExpireLeasesAsync();
        var reaped = Assert.Single(await h.Queue.ReapExpiredTrialsAsync());

        Assert.Equal(lease.TrialId, reaped.TrialId);
        Assert.Equal(lease.SweepId, reaped.SweepId);
        Assert.Equal(TrialStatus.Queued, reaped.Status);
        Assert.Equal(traceParent, reaped.TraceParent);
        Assert.Empty(await h.Queue.ReapExpiredTrialsAsync());
    }

    [SkippableFact]
    public async Task ZombieCannotWriteEpochsOrFinishAfterItsTrialIsReclaimed()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var zombie = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.ExpireLeasesAsync();
        await h.Queue.ReapExpiredAsync();
        var current = (await h.Queue.TryClaimAsync("worker-2"))!;

        Assert.Equal(EpochWrite.LeaseLost, await h.Queue.RecordEpochAsync(zombie, TestPlans.Epoch(1, trainLoss: 9.9)));
        Assert.Null(await h.Queue.FinishAsync(zombie, TrialOutcome.Completed([TestPlans.Evaluation()])));
        Assert.Null(await h.Queue.FinishAsync(zombie, TrialOutcome.Failed("zombie")));
        Assert.Equal(LeaseState.Lost, await h.Queue.RenewAsync(zombie));

        var trial = await h.Store.GetTrialAsync(current.TrialId);
        Assert.Equal(TrialStatus.Running, trial!.Status);
        Assert.Equal("worker-2", trial.Owner);
        Assert.Equal(2, trial.Attempt);
        Assert.Empty(trial.Evaluations);
        Assert.Null(trial.Attempts[1].Outcome);
        Assert.Empty(await h.Store.GetEpochsAsync(current.TrialId));

        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(current, TestPlans.Epoch(1)));
        Assert.Equal(1.0, Assert.Single(await h.Store.GetEpochsAsync(current.TrialId)).TrainLoss);
    }

    [SkippableFact]
    public async Task AnEpochIsNeverRecordedTwiceEvenAcrossAttempts()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(first, TestPlans.Epoch(1, trainLoss: 2.0)));
        Assert.Equal(EpochWrite.AlreadyRecorded, await h.Queue.RecordEpochAsync(first, TestPlans.Epoch(1, trainLoss: 3.0)));
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(first, TrialOutcome.Failed("crashed after epoch 1")));

        var second = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(1, second.LastRecordedEpoch);
        Assert.Equal(EpochWrite.AlreadyRecorded, await h.Queue.RecordEpochAsync(second, TestPlans.Epoch(1, trainLoss: 4.0)));
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(second, TestPlans.Epoch(3, trainLoss: 1.0)));
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(second, TestPlans.Epoch(2, trainLoss: 1.5)));

        var epochs = await h.Store.GetEpochsAsync(second.TrialId);
        Assert.Equal([1, 2, 3], epochs.Select(e => e.Epoch));
        Assert.Equal([2.0, 1.5, 1.0], epochs.Select(e => e.TrainLoss));
        // Each epoch names the attempt whose write landed: the first one's, never the replay's.
        Assert.Equal([1, 2, 2], epochs.Select(e => e.Attempt));
        Assert.Equal(3, (await h.Store.GetTrialAsync(second.TrialId))!.LastEpoch);
    }

    [SkippableFact]
    public async Task DivergedEpochWithNaNLossIsStoredAsIs()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(TestPlans.Create(1), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;

        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1, trainLoss: double.NaN)));
        Assert.Equal(TrialStatus.Diverged, await h.Queue.FinishAsync(lease, TrialOutcome.Diverged("loss is NaN at epoch 1")));

        Assert.True(double.IsNaN(Assert.Single(await h.Store.GetEpochsAsync(lease.TrialId)).TrainLoss));
        var trial = await h.Store.GetTrialAsync(lease.TrialId);
        Assert.Equal(TrialStatus.Diverged, trial!.Status);
        Assert.Equal("loss is NaN at epoch 1", trial.Reason);
    }

    [SkippableFact]
    public async Task ConcurrentReapersHandleEachExpiredLeaseOnce()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(6), null);
        for (var i = 0; i < 6; i++)
        {
            await h.Queue.TryClaimAsync($"worker-{i}");
        }

        await h.ExpireLeasesAsync();
        var connections = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Server.ConnectAsync()));
        try
        {
            var reaped = await Task.WhenAll(connections.Select(c => h.QueueOn(c).ReapExpiredAsync()));

            Assert.Equal(6, reaped.Sum());
            var trials = await h.Store.GetTrialsAsync(sweep.SweepId);
            Assert.All(trials, t =>
            {
                Assert.Equal(TrialStatus.Queued, t.Status);
                Assert.Equal("LeaseExpired", Assert.Single(t.Attempts).Outcome);
            });
            Assert.Equal(6, await h.Store.QueueDepthAsync());
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
