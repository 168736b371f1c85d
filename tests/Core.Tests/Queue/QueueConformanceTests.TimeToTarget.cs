using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Queue;

/// <summary>
/// Time to accuracy, recorded where the epoch is: the first epoch reaching <c>metric.target</c> and the training
/// seconds up to it (each epoch's seconds counted once, summed over attempts). TestPlans' epochs take 12.5 s each.
/// </summary>
public abstract partial class QueueConformanceTests
{
    private static SweepPlan Targeted(int trials, string goal, double target, string metric = "val_accuracy") =>
        TestPlans.Create(trials) with { Metric = new SweepMetric(metric, goal) { Target = target } };

    private static EpochMetrics Timed(int epoch, double valAccuracy, double seconds, double valLoss = 1.0) =>
        TestPlans.Epoch(epoch) with { ValAccuracy = valAccuracy, ValLoss = valLoss, WallSeconds = seconds };

    [SkippableFact]
    public async Task ASweepKeepsItsMetricTargetAndASweepWithoutOneHasNone()
    {
        var h = NewHarness();

        var with = await h.Store.SubmitAsync(Targeted(1, "maximize", 0.85), null);
        var without = await h.Store.SubmitAsync(TestPlans.Create(1), null);

        Assert.Equal(0.85, (await h.Store.GetSweepAsync(with.SweepId))!.Metric.Target);
        Assert.Equal(0.85, (await h.Store.GetSweepSummaryAsync(with.SweepId))!.Sweep.Metric.Target);
        Assert.Null((await h.Store.GetSweepAsync(without.SweepId))!.Metric.Target);
    }

    [SkippableFact]
    public async Task TheFirstEpochReachingTheTargetIsRecordedWithTheTrainingTimeUpToIt()
    {
        var h = NewHarness();
        var sweep = await h.Store.SubmitAsync(Targeted(1, "maximize", 0.85), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;

        await h.Queue.RecordEpochAsync(lease, Timed(1, 0.70, 10));
        Assert.Null((await h.Store.GetTrialAsync(lease.TrialId))!.Target);
        await h.Queue.RecordEpochAsync(lease, Timed(2, 0.85, 11.5));
        await h.Queue.RecordEpochAsync(lease, Timed(3, 0.90, 12));

        Assert.Equal(new TargetReached(2, 21.5), (await h.Store.GetTrialAsync(lease.TrialId))!.Target);
        Assert.Equal(new TargetReached(2, 21.5), (await h.Store.GetTrialsAsync(sweep.SweepId)).Single().Target);
    }

    [SkippableFact]
    public async Task AMinimizedTargetIsReachedAtOrBelowIt()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(Targeted(1, "minimize", 0.5, "val_loss"), null);
        var lease = (await h.Queue.TryClaimAsync("worker-1"))!;

        await h.Queue.RecordEpochAsync(lease, Timed(1, 0.99, 3, valLoss: 0.51));
        await h.Queue.RecordEpochAsync(lease, Timed(2, 0.10, 4, valLoss: 0.5));

        Assert.Equal(new TargetReached(2, 7), (await h.Store.GetTrialAsync(lease.TrialId))!.Target);
    }

    [SkippableFact]
    public async Task WithoutATargetOrWithANonFiniteValueNothingIsReached()
    {
        var h = NewHarness();
        var untargeted = await h.Store.SubmitAsync(TestPlans.Create(1), null);
        await h.Store.SubmitAsync(Targeted(1, "minimize", 0.5, "val_loss"), null);
        TrialLease[] leases = [(await h.Queue.TryClaimAsync("worker-1"))!, (await h.Queue.TryClaimAsync("worker-2"))!];
        var plain = leases.Single(l => l.SweepId == untargeted.SweepId);
        var diverging = leases.Single(l => l.SweepId != untargeted.SweepId);

        await h.Queue.RecordEpochAsync(plain, Timed(1, 1.0, 3, valLoss: 0));
        await h.Queue.RecordEpochAsync(diverging, Timed(1, 0.1, 3, valLoss: double.NaN));
        await h.Queue.RecordEpochAsync(diverging, Timed(2, 0.1, 3, valLoss: double.NegativeInfinity));

        Assert.Null((await h.Store.GetTrialAsync(plain.TrialId))!.Target);
        Assert.Null((await h.Store.GetTrialAsync(diverging.TrialId))!.Target);
    }

    [SkippableFact]
    public async Task AReplayedEpochChangesNeitherTheTimeNorTheEpochAndTimeSumsOverAttempts()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(Targeted(1, "maximize", 0.8), null);
        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.Queue.RecordEpochAsync(first, Timed(1, 0.5, 10));
        await h.Queue.RecordEpochAsync(first, Timed(2, 0.6, 10));

        // The worker is lost; the next attempt resumes from epoch 1's checkpoint and reports epochs 2 and 3 again.
        await h.ExpireLeasesAsync();
        Assert.Equal(1, await h.Queue.ReapExpiredAsync());
        var second = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(EpochWrite.AlreadyRecorded, await h.Queue.RecordEpochAsync(second, Timed(2, 0.95, 99)));
        Assert.Null((await h.Store.GetTrialAsync(second.TrialId))!.Target);
        await h.Queue.RecordEpochAsync(second, Timed(3, 0.81, 7));
        await h.Queue.RecordEpochAsync(second, Timed(3, 0.81, 50));
        await h.Queue.RecordEpochAsync(second, Timed(4, 0.99, 1));

        Assert.Equal(new TargetReached(3, 27), (await h.Store.GetTrialAsync(second.TrialId))!.Target);
    }

    [SkippableFact]
    public async Task AZombieCannotRecordATarget()
    {
        var h = NewHarness();
        await h.Store.SubmitAsync(Targeted(1, "maximize", 0.8), null);
        var zombie = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.ExpireLeasesAsync();
        await h.Queue.ReapExpiredAsync();
        var current = (await h.Queue.TryClaimAsync("worker-2"))!;

        Assert.Equal(EpochWrite.LeaseLost, await h.Queue.RecordEpochAsync(zombie, Timed(1, 0.99, 5)));
        await h.Queue.RecordEpochAsync(current, Timed(1, 0.5, 6));
        await h.Queue.RecordEpochAsync(current, Timed(2, 0.8, 6));

        Assert.Equal(new TargetReached(2, 12), (await h.Store.GetTrialAsync(current.TrialId))!.Target);
    }
}

/// <summary>Time to target and growth for <c>method: tpe</c>, whose trials are created lazily by proposals.</summary>
public abstract partial class QueueConformanceTests
{
    [SkippableFact]
    public async Task ATpeSweepKeepsTargetRuleAndBudgetAndItsProposedTrialsRecordTheirTimeToTarget()
    {
        var h = NewHarness();
        // Target, early termination and budget together: the submit script's trailing arguments, each in its place.
        var plan = SweepSpecParser.Parse(
            """
            name: tpe-target
            method: tpe
            trial_count: 4
            startup_trials: 1
            max_concurrent: 1
            sample_seed: 3
            metric: { name: val_accuracy, goal: maximize, target: 0.5 }
            base: { dataset: synthetic, epochs: 2 }
            early_termination: { type: median, startup_trials: 9, warmup_epochs: 0 }
            parameters:
              lr: { distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 }
            """,
            new SweepLimits());
        var submitted = await h.Store.SubmitAsync(plan, null);
        var sweep = (await h.Store.GetSweepAsync(submitted.SweepId))!;
        Assert.Equal((0.5, new SearchBudget(4, 1, 1, 3)), (sweep.Metric.Target, sweep.Search));
        Assert.Equal(Experiments.Core.EarlyTermination.EarlyTerminationType.Median, sweep.EarlyTermination?.Type);
        var policy = (await h.Queue.GetEarlyTerminationAsync(submitted.SweepId, plan.Trials[0].Config))!;

        while (await h.Queue.TryClaimAsync("worker-1") is { } lease)
        {
            await h.Queue.RecordEpochAsync(lease, Timed(1, 0.4, 5), policy);
            await h.Queue.RecordEpochAsync(lease, Timed(2, 0.6, 7), policy);
            Assert.Equal(TrialStatus.Completed, await h.Queue.FinishAsync(lease, TrialOutcome.Completed([])));
        }

        var trials = await h.Store.GetTrialsAsync(submitted.SweepId);
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialStatus.Completed, new TargetReached(2, 12)), (t.Status, t.Target)));

        // Growth is for sweeps whose trials are fixed at submit: a tpe sweep's budget is what the proposals follow.
        var refused = await Assert.ThrowsAsync<SweepClosedException>(() => h.Store.AddTrialsAsync(submitted.SweepId, Adding(Extra(1, 1)), null));
        Assert.Contains("proposed as results come in", refused.Message, StringComparison.Ordinal);
    }
}
