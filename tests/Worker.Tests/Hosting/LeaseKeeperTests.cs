using Experiments.Core;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Worker.Hosting;
using Experiments.Worker.Training;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// The lease keeper against a real store. With every thread-pool thread blocked (what a busy worker process can come
/// to), it must still renew and still pass a user's cancel on to training: neither may wait for the pool.
/// </summary>
public sealed class LeaseKeeperTests(GarnetServerFixture store) : IClassFixture<GarnetServerFixture>
{
    // Short, so a keeper that stopped renewing would lose the lease within the test; renewed every 3 s.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(9);

    // The lease of the stall test: short enough to wait for its lapse, long against its 200 ms reports.
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RenewsWhileEveryThreadPoolThreadIsBlocked()
    {
        var (queue, lease, _) = await ClaimAsync();
        await using var keeper = LeaseKeeper.Start(queue, lease, Lease, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var before = keeper.Renewals;

        using (SaturatedThreadPool.Start())
        {
            // Three renewals span a whole lease: a keeper waiting for the pool would make none.
            Eventually.Until(() => keeper.Renewals >= before + 3, "three lease renewals with the thread pool blocked");
            Assert.Equal(LeaseState.Held, keeper.State);
            Assert.False(keeper.Token.IsCancellationRequested);
        }
    }

    [Fact]
    public async Task PassesACancelRequestToTrainingWhileEveryThreadPoolThreadIsBlocked()
    {
        var (queue, lease, sweeps) = await ClaimAsync();
        await using var keeper = LeaseKeeper.Start(queue, lease, Lease, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        Assert.True(await sweeps.CancelTrialAsync(lease.TrialId));

        using (SaturatedThreadPool.Start())
        {
            // The training loop reads this token before every batch; its WaitHandle is set by the keeper's own thread.
            Assert.True(keeper.Token.WaitHandle.WaitOne(Eventually.DefaultTimeout), "the cancel request never reached the token");
            Assert.Equal(LeaseState.CancelRequested, keeper.State);
        }
    }

    [Fact]
    public async Task AnAttemptEndedElsewhereStopsTrainingAsLost()
    {
        var (queue, lease, _) = await ClaimAsync();
        await using var keeper = LeaseKeeper.Start(queue, lease, Lease, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        // Ended by someone else (as a reaper does after a pause): the next renewal finds the lease gone.
        await queue.FinishAsync(lease, TrialOutcome.Failed("ended elsewhere"));

        Assert.True(keeper.Token.WaitHandle.WaitOne(Eventually.DefaultTimeout), "training was never told to stop");
        Assert.Equal(LeaseState.Lost, keeper.State);
    }

    [Fact]
    public async Task ReportsTheTrainersLatestBatchWithItsRenewals()
    {
        var (queue, lease, sweeps) = await ClaimAsync();
        var watch = new TrainerWatch(epochs: 1, reportInterval: TimeSpan.FromMilliseconds(200), stallTimeout: TimeSpan.FromMinutes(10), TimeProvider.System);
        await using var keeper = LeaseKeeper.Start(queue, lease, Lease, NullLogger.Instance, TimeProvider.System, CancellationToken.None, watch);

        watch.BatchCompleted(new BatchProgress(1, 3, 10, 2.25, 24, 1.5));
        var shown = await Eventually.UntilAsync(
            async () => (await sweeps.GetTrialAsync(lease.TrialId))!.Progress, p => p?.Batch == 3, "the third batch in the store");
        Assert.Equal((1, 1, 3L, 10L, 2.25, 16.0), (shown!.Attempt, shown.Epoch, shown.Batch, shown.Batches, shown.Loss, shown.ImagesPerSecond));

        watch.BatchCompleted(new BatchProgress(1, 4, 10, 2.0, 32, 2));
        await Eventually.UntilAsync(async () => (await sweeps.GetTrialAsync(lease.TrialId))!.Progress?.Batch == 4, "the fourth batch in the store");
        Assert.Equal(LeaseState.Held, keeper.State);
    }

    [Fact]
    public async Task StopsRenewingOnceTheTrainerStallsSoTheLeaseLapses()
    {
        var (queue, lease, sweeps) = await ClaimAsync(Stall);
        var watch = new TrainerWatch(epochs: 1, reportInterval: TimeSpan.FromMilliseconds(200), stallTimeout: TimeSpan.FromSeconds(1), TimeProvider.System);
        await using var keeper = LeaseKeeper.Start(queue, lease, Stall, NullLogger.Instance, TimeProvider.System, CancellationToken.None, watch);
        watch.BatchCompleted(new BatchProgress(1, 1, 10, 2.3, 8, 0.5));

        // No further batch: the watchdog fires, training is told to stop, and no renewal follows.
        var reason = await keeper.Stalled.WaitAsync(Eventually.DefaultTimeout);
        Assert.StartsWith("stalled: the trainer finished no batch for 1 s (last finished: epoch 1, batch 1 of 10)", reason);
        Assert.Equal(reason, keeper.StallReason);
        Assert.True(keeper.Token.IsCancellationRequested);
        var renewals = keeper.Renewals;

        // Nothing else ends the attempt here (as when its worker is wedged): the lease lapses and is reaped by the store's clock.
        await Eventually.UntilAsync(async () => await queue.ReapExpiredAsync() == 1, "the stalled trial's lease to lapse and be reaped");
        Assert.Equal(renewals, keeper.Renewals);
        var trial = (await sweeps.GetTrialAsync(lease.TrialId))!;
        Assert.Equal(TrialStatus.Queued, trial.Status);
        Assert.Null(trial.Progress);
    }

    private async Task<(TrialQueue Queue, TrialLease Lease, SweepStore Sweeps)> ClaimAsync() => await ClaimAsync(Lease);

    private async Task<(TrialQueue Queue, TrialLease Lease, SweepStore Sweeps)> ClaimAsync(TimeSpan leaseDuration)
    {
        var options = new StoreOptions { KeyPrefix = $"lk-{Guid.NewGuid():N}:", LeaseDuration = leaseDuration };
        // As the Worker connects (AddTrialStore): the store's replies must not wait for the pool either.
        StoreRegistration.UseDedicatedClientThreads();
        // Generous command timeouts: the client's default 5 s let two slow renewals on a loaded machine lose a 9 s lease.
        var connection = await store.ConnectAsync();
        var sweeps = new SweepStore(connection, options, TimeProvider.System);
        var queue = new TrialQueue(connection, options, TimeProvider.System);
        await sweeps.SubmitAsync(OneTrial(), traceParent: null);
        var lease = await queue.TryClaimAsync("worker-a", CancellationToken.None);
        Assert.NotNull(lease);
        return (queue, lease, sweeps);
    }

    private static SweepPlan OneTrial() => new(
        Name: "lease",
        Method: "grid",
        Metric: new SweepMetric("val_accuracy", "maximize"),
        SourceText: "name: lease\nmethod: grid\n",
        Trials: [new PlannedTrial(new TrainingConfig { Dataset = Dataset.Synthetic, Epochs = 1 }, new Dictionary<string, string>())]);
}
