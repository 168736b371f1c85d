using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Tests.Shared;

namespace Experiments.Core.Tests.Queue;

/// <summary>Lazy trial creation for <c>method: tpe</c>: atomic, idempotent, within budget and concurrency, crash-safe.</summary>
public abstract partial class QueueConformanceTests
{
    private static SweepPlan TpePlan(int trialCount, int startup, int maxConcurrent, int sampleSeed = 9) => SweepSpecParser.Parse(
        $"""
        name: tpe
        method: tpe
        trial_count: {trialCount}
        startup_trials: {startup}
        max_concurrent: {maxConcurrent}
        sample_seed: {sampleSeed}
        base: {"{"} dataset: synthetic, epochs: 2 {"}"}
        parameters:
          lr: {"{"} distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 {"}"}
          optimizer: {"{"} values: [adam, sgd] {"}"}
        """,
        new SweepLimits());

    // Best near lr = 1e-3 with adam: something for the model to find.
    private static double Accuracy(TrainingConfig config) =>
        0.9 - (0.05 * Math.Pow(Math.Log10(config.Lr) + 3, 2)) - (config.Optimizer == Optimizer.Sgd ? 0.1 : 0);

    private static async Task CompleteAsync(TrialQueue queue, TrialLease lease)
    {
        Assert.Equal(EpochWrite.Recorded, await queue.RecordEpochAsync(lease, TestPlans.Epoch(1) with { ValAccuracy = Accuracy(lease.Config) - 0.1 }));
        Assert.Equal(EpochWrite.Recorded, await queue.RecordEpochAsync(lease, TestPlans.Epoch(2) with { ValAccuracy = Accuracy(lease.Config) }));
        Assert.Equal(TrialStatus.Completed, await queue.FinishAsync(lease, TrialOutcome.Completed([])));
    }

    private static TrialProposals Proposals(QueueHarness h) => new(h.Connection, h.Options, h.Time);

    [SkippableFact]
    public async Task TpeSweepQueuesItsStartupTrialsAndProposesTheRestUpToItsBudget()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 14, startup: 4, maxConcurrent: 2), null);
        Assert.Equal(2, submitted.TrialIds.Count);
        Assert.Equal(new SearchBudget(14, 4, 2, 9), (await h.Store.GetSweepAsync(submitted.SweepId))!.Search);

        while (await h.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            await CompleteAsync(h.Queue, lease);
        }

        var trials = await h.Store.GetTrialsAsync(submitted.SweepId);
        Assert.Equal(Enumerable.Range(0, 14), trials.Select(t => t.Index));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Completed, 1), (t.Status, t.Attempt)));
        Assert.Equal(14, trials.Select(t => t.Config).Distinct().Count());
        Assert.Equal(14, (await h.Store.GetSweepSummaryAsync(submitted.SweepId))!.StatusCounts[TrialStatus.Completed]);
        Assert.Equal(0, await h.Connection.GetDatabase().SortedSetLengthAsync(h.Options.KeyPrefix + "sweeps:growing"));
        // The model has learned: its proposals sit nearer the optimum than the random startup trials.
        Assert.True(trials.Skip(4).Average(t => Accuracy(t.Config)) > trials.Take(4).Average(t => Accuracy(t.Config)));
    }

    [SkippableFact]
    public async Task ManyClaimersAtOnceCreateEachTrialOnceAndNeverExceedMaxConcurrent()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 16, startup: 4, maxConcurrent: 3), null);
        var connections = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Server.ConnectAsync()));
        var running = 0;
        var mostRunning = 0;
        var claims = 0;
        using var ceiling = new CancellationTokenSource(Eventually.DefaultTimeout);
        try
        {
            async Task Work(TrialQueue queue, string worker)
            {
                while ((await h.Store.GetSweepSummaryAsync(submitted.SweepId))!.StatusCounts[TrialStatus.Completed] < 16)
                {
                    ceiling.Token.ThrowIfCancellationRequested();
                    if (await queue.TryClaimAsync(worker) is not { } lease)
                    {
                        await Task.Delay(5);
                        continue;
                    }

                    Interlocked.Increment(ref claims);
                    var now = Interlocked.Increment(ref running);
                    InterlockedMax(ref mostRunning, now);
                    await Task.Yield();
                    // Counted down before the finish is sent, so this count never runs ahead of the store's: another
                    // claimer's increment can land before a late continuation's decrement, never before the finish.
                    Interlocked.Decrement(ref running);
                    await CompleteAsync(queue, lease);
                }
            }

            await Task.WhenAll(connections.Select((c, i) => Work(h.QueueOn(c), $"worker-{i}")));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        var trials = await h.Store.GetTrialsAsync(submitted.SweepId);
        Assert.Equal(Enumerable.Range(0, 16), trials.Select(t => t.Index));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Completed, 1, 1), (t.Status, t.Attempt, t.Attempts.Count)));
        Assert.Equal(16, claims);
        Assert.InRange(mostRunning, 1, 3);
        Assert.Equal(16, trials.Select(t => t.Config).Distinct().Count());
        var counts = (await h.Store.GetSweepSummaryAsync(submitted.SweepId))!.StatusCounts;
        Assert.Equal((16, 0, 0), (counts[TrialStatus.Completed], counts[TrialStatus.Queued], counts[TrialStatus.Running]));
        Assert.Equal(0, await h.Store.QueueDepthAsync());
    }

    [SkippableFact]
    public async Task TheSameHistoryGivesTheSameProposalOnEveryClaimer()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 10, startup: 3, maxConcurrent: 3), null);
        for (var i = 0; i < 3; i++)
        {
            await CompleteAsync(h.Queue, (await h.Queue.TryClaimAsync("worker-1"))!);
        }

        await using var other = await Server.ConnectAsync();
        var here = await Proposals(h).PrepareAsync(submitted.SweepId);
        var there = await new TrialProposals(other, h.Options, h.Time).PrepareAsync(submitted.SweepId);

        Assert.NotNull(here);
        Assert.Equal((3, Experiments.Core.Search.ProposalSource.Model), (here.Number, here.Source));
        Assert.Equal(here.Trial.Config, there!.Trial.Config);
        Assert.Equal(here.Trial.Config, (await h.Queue.TryClaimAsync("worker-2"))!.Config);
    }

    [SkippableFact]
    public async Task ACrashBetweenSamplingAndStoringLosesNothingAndDoublesNothing()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 8, startup: 2, maxConcurrent: 2), null);
        await CompleteAsync(h.Queue, (await h.Queue.TryClaimAsync("worker-1"))!);
        await CompleteAsync(h.Queue, (await h.Queue.TryClaimAsync("worker-1"))!);

        // Worker A samples trial 2 and dies before storing it: nothing of it is in the store.
        var sampledByA = (await Proposals(h).PrepareAsync(submitted.SweepId))!;
        Assert.Equal(2, (await h.Store.GetSweepAsync(submitted.SweepId))!.TrialIds.Count);

        // Worker B creates trial 2 from the same history: the same configuration, once.
        var lease = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal((StoreIdsFor(submitted, 2), sampledByA.Trial.Config), (lease.TrialId, lease.Config));

        // A's late store (a retry after its restart) changes nothing.
        Assert.Equal(ProposalOutcome.Stale, await Proposals(h).StoreAsync(sampledByA));
        var sweep = (await h.Store.GetSweepSummaryAsync(submitted.SweepId))!;
        Assert.Equal(3, sweep.Sweep.TrialIds.Count);
        Assert.Equal((2, 1, 0), (sweep.StatusCounts[TrialStatus.Completed], sweep.StatusCounts[TrialStatus.Running], sweep.StatusCounts[TrialStatus.Queued]));
    }

    [SkippableFact]
    public async Task AProposalFromAHistoryThatChangedSinceIsRefused()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 8, startup: 2, maxConcurrent: 3), null);
        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        var stale = (await Proposals(h).PrepareAsync(submitted.SweepId))!;

        await CompleteAsync(h.Queue, first);

        Assert.Equal(ProposalOutcome.Changed, await Proposals(h).StoreAsync(stale));
        Assert.Equal(ProposalOutcome.Created, await Proposals(h).TryCreateNextAsync(submitted.SweepId));
        Assert.Equal(3, (await h.Store.GetSweepAsync(submitted.SweepId))!.TrialIds.Count);
    }

    [SkippableFact]
    public async Task CreationsCutShortByAStoreCrashAreRepairedByTheNextOne()
    {
        var h = NewHarness();
        var database = h.Connection.GetDatabase();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 8, startup: 2, maxConcurrent: 3), null);

        // A prefix that wrote only trial 2's hash: invisible, and overwritten by the real creation of trial 2.
        var trial2 = StoreIdsFor(submitted, 2);
        await database.HashSetAsync(h.Options.KeyPrefix + "trial:" + trial2, [new("status", "Queued"), new("config", "{}"), new("owner", "ghost")]);
        Assert.Equal(2, (await h.Store.GetSweepAsync(submitted.SweepId))!.TrialIds.Count);
        Assert.Equal(ProposalOutcome.Created, await Proposals(h).TryCreateNextAsync(submitted.SweepId));
        var created = (await h.Store.GetTrialAsync(trial2))!;
        Assert.Equal((TrialStatus.Queued, null, submitted.SweepId), (created.Status, created.Owner, created.SweepId));

        // A prefix that committed trial 2 but lost its queue entry: the next call for the sweep queues it again.
        await database.SortedSetRemoveAsync(h.Options.KeyPrefix + "queue", trial2);
        await Proposals(h).TryCreateNextAsync(submitted.SweepId);
        Assert.NotNull(await database.SortedSetScoreAsync(h.Options.KeyPrefix + "queue", trial2));
        var leases = new List<string>();
        while (await h.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            leases.Add(lease.TrialId);
        }

        Assert.Contains(trial2, leases);
        Assert.Equal(3, (await h.Store.GetSweepSummaryAsync(submitted.SweepId))!.StatusCounts[TrialStatus.Running]);
    }

    [SkippableFact]
    public async Task ACancelledTpeSweepProposesNothingMore()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 8, startup: 2, maxConcurrent: 2), null);

        await h.Store.CancelSweepAsync(submitted.SweepId);

        Assert.Null(await h.Queue.TryClaimAsync("worker-1"));
        var sweep = (await h.Store.GetSweepSummaryAsync(submitted.SweepId))!;
        Assert.Equal((2, 2), (sweep.Sweep.TrialIds.Count, sweep.StatusCounts[TrialStatus.Cancelled]));
        Assert.Equal(0, await h.Connection.GetDatabase().SortedSetLengthAsync(h.Options.KeyPrefix + "sweeps:growing"));
    }

    [SkippableFact]
    public async Task ATpeSweepUnderAshaCompletesItsBudgetAndLearnsFromPrunedTrials()
    {
        var h = NewHarness();
        // Two epochs, ASHA with eta 3: one rung, at epoch 1, where only the best third continues.
        var plan = SweepSpecParser.Parse(
            """
            name: tpe-asha
            method: tpe
            trial_count: 12
            startup_trials: 3
            max_concurrent: 1
            sample_seed: 4
            base: { dataset: synthetic, epochs: 2 }
            early_termination: { type: asha, min_epochs: 1, reduction_factor: 3 }
            parameters:
              lr: { distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 }
              optimizer: { values: [adam, sgd] }
            """,
            new SweepLimits());
        var submitted = await h.Store.SubmitAsync(plan, null);
        var policy = (await h.Queue.GetEarlyTerminationAsync(submitted.SweepId, plan.Trials[0].Config))!;
        PreparedProposal? beforePrune = null;

        while (await h.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            var rung = await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(1) with { ValAccuracy = Accuracy(lease.Config) - 0.1 }, policy);
            if (rung.Decision!.IsPrune)
            {
                var whileRunning = beforePrune is null ? await Proposals(h).PrepareAsync(submitted.SweepId) : null;
                Assert.Equal(TrialStatus.Pruned, await h.Queue.FinishAsync(lease, TrialOutcome.Pruned(policy.Describe(rung.Decision), [])));
                if (whileRunning is { Number: < 12 })
                {
                    // A proposal computed while this trial ran does not know its result: refused once it is pruned.
                    beforePrune = whileRunning;
                    Assert.Equal(ProposalOutcome.Changed, await Proposals(h).StoreAsync(whileRunning));
                }

                continue;
            }

            Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(lease, TestPlans.Epoch(2) with { ValAccuracy = Accuracy(lease.Config) }));
            Assert.Equal(TrialStatus.Completed, await h.Queue.FinishAsync(lease, TrialOutcome.Completed([])));
        }

        var trials = await h.Store.GetTrialsAsync(submitted.SweepId);
        Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Index));
        Assert.All(trials, t => Assert.Contains(t.Status, new[] { TrialStatus.Completed, TrialStatus.Pruned }));
        Assert.Contains(trials, t => t.Status == TrialStatus.Pruned);
        Assert.Equal(12, trials.Select(t => t.Config).Distinct().Count());
        Assert.Equal(0, await h.Connection.GetDatabase().SortedSetLengthAsync(h.Options.KeyPrefix + "sweeps:growing"));
        Assert.NotNull(beforePrune);

        // The history a proposal sees holds the pruned trials with the epoch they reached and its value.
        var sweep = (await h.Store.GetSweepAsync(submitted.SweepId))!;
        var pruned = trials.First(t => t.Status == TrialStatus.Pruned);
        var epochs = await h.Store.GetEpochsAsync(pruned.Id);
        var observed = Experiments.Core.Search.SearchHistory.Observe(SweepSpecParser.Definition(sweep.SourceText), trials, new Dictionary<string, IReadOnlyList<EpochMetrics>> { [pruned.Id] = epochs });
        var seen = observed.Single(o => o.Number == pruned.Index);
        Assert.Equal((Experiments.Core.Search.ObservedState.Pruned, 1), (seen.State, Assert.Single(seen.Intermediate).Step));
    }

    [SkippableFact]
    public async Task ALazilyCreatedTrialIsStampedWithTheStoresClockNotTheProposersClock()
    {
        var h = NewHarness();
        var submitted = await h.Store.SubmitAsync(TpePlan(trialCount: 4, startup: 1, maxConcurrent: 1), null);
        await CompleteAsync(h.Queue, (await h.Queue.TryClaimAsync("worker-1"))!);

        // The proposer's clock (the harness's manual one) is months away from the store's: the trial it creates is
        // stamped, and queued, in store time.
        var before = await h.StoreNowAsync();
        Assert.Equal(ProposalOutcome.Created, await Proposals(h).TryCreateNextAsync(submitted.SweepId));
        var after = await h.StoreNowAsync();
        Assert.True(Math.Abs((h.Time.GetUtcNow() - before).TotalDays) > 1, "the proposer's clock must differ from the store's for this test to prove anything");

        var created = (await h.Store.GetTrialAsync(StoreIdsFor(submitted, 1)))!;
        Assert.InRange(created.CreatedAt, before, after);
        var score = (await h.Connection.GetDatabase().SortedSetScoreAsync(h.Options.KeyPrefix + "queue", created.Id))!.Value;
        Assert.InRange((long)score - QueueScore.FreshBand, before.ToUnixTimeMilliseconds(), after.ToUnixTimeMilliseconds());

        // Its failure and interruption budgets are those of a submitted trial.
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(created.Id, lease.TrialId);
        Assert.Equal(TrialStatus.Queued, await h.Queue.FinishAsync(lease, TrialOutcome.Interrupted("stopped")));
        var requeued = (await h.Store.GetTrialAsync(created.Id))!;
        Assert.Equal((0, 1, h.Options.MaxAttempts), (requeued.Failures, requeued.Interruptions, requeued.MaxAttempts));
    }

    private static string StoreIdsFor(SubmittedSweep sweep, int index) => $"{sweep.SweepId}-{index:D4}";

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
