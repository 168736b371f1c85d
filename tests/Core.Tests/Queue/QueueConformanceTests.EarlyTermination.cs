using Experiments.Core.EarlyTermination;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Tests.Shared;

namespace Experiments.Core.Tests.Queue;

/// <summary>
/// The early-termination decision made inside the fenced epoch record: trials of 3 epochs under ASHA
/// (min 1, eta 3, max 3) have one rung, at epoch 1; val_accuracy is maximised.
/// </summary>
public abstract partial class QueueConformanceTests
{
    private static readonly EarlyTerminationSpec Asha = new(EarlyTerminationType.Asha) { MaxEpochs = 3 };

    private static EpochMetrics Accuracy(int epoch, double value) => TestPlans.Epoch(epoch) with { ValAccuracy = value };

    private static async Task<(SubmittedSweep Sweep, EarlyTerminationPolicy Policy)> SubmitAshaAsync(QueueHarness h, int trials)
    {
        var sweep = await h.Store.SubmitAsync(TestPlans.Create(trials) with { EarlyTermination = Asha }, null);
        var policy = await h.Queue.GetEarlyTerminationAsync(sweep.SweepId, TestPlans.Create(1).Trials[0].Config);
        return (sweep, policy!);
    }

    [SkippableFact]
    public async Task ASweepKeepsItsEarlyTerminationRuleAndASweepWithoutOneHasNone()
    {
        var h = NewHarness();

        var with = await h.Store.SubmitAsync(TestPlans.Create(2) with { EarlyTermination = Asha }, null);
        var without = await h.Store.SubmitAsync(TestPlans.Create(2), null);

        Assert.Equal(Asha, (await h.Store.GetSweepAsync(with.SweepId))!.EarlyTermination);
        Assert.Null((await h.Store.GetSweepAsync(without.SweepId))!.EarlyTermination);
        // The Dashboard's live views read summaries, not whole sweeps: the rule must be in them too.
        Assert.Equal(Asha, (await h.Store.GetSweepSummaryAsync(with.SweepId))!.Sweep.EarlyTermination);
        Assert.Equal(Asha, (await h.Store.GetSweepSummariesAsync([with.SweepId]))[0].Sweep.EarlyTermination);
        Assert.Null((await h.Store.GetSweepSummaryAsync(without.SweepId))!.Sweep.EarlyTermination);
        Assert.Null(await h.Queue.GetEarlyTerminationAsync(without.SweepId, TestPlans.Create(1).Trials[0].Config));
        var policy = await h.Queue.GetEarlyTerminationAsync(with.SweepId, TestPlans.Create(1).Trials[0].Config);
        Assert.Equal((Asha, "val_accuracy", MetricGoal.Maximize), (policy!.Spec, policy.MetricName, policy.Goal));
    }

    [SkippableFact]
    public async Task AnEpochAtARungIsDecidedWhereItIsRecordedAndALosingTrialIsPrunedWithTheRungAndComparison()
    {
        var h = NewHarness();
        var (sweep, policy) = await SubmitAshaAsync(h, 2);
        var first = (await h.Queue.TryClaimAsync("worker-1"))!;
        var second = (await h.Queue.TryClaimAsync("worker-2"))!;

        var leader = await h.Queue.RecordEpochAsync(first, Accuracy(1, 0.6), policy);
        var loser = await h.Queue.RecordEpochAsync(second, Accuracy(1, 0.4), policy);
        var unchecked2 = await h.Queue.RecordEpochAsync(first, Accuracy(2, 0.1), policy);

        Assert.Equal((EpochWrite.Recorded, DecisionVerdict.Continue), (leader.Write, leader.Decision!.Verdict));
        Assert.Equal((EpochWrite.Recorded, DecisionVerdict.Prune, 0, 2, 1, 0.6), (loser.Write, loser.Decision!.Verdict, loser.Decision.Rung, loser.Decision.Count, loser.Decision.Kept, loser.Decision.Cut));
        Assert.Equal(DecisionBasis.Unchecked, unchecked2.Decision!.Basis);

        Assert.Equal(TrialStatus.Pruned, await h.Queue.FinishAsync(second, TrialOutcome.Pruned(policy.Describe(loser.Decision), [TestPlans.Evaluation()])));
        var trial = (await h.Store.GetTrialAsync(second.TrialId))!;
        Assert.Equal(TrialStatus.Pruned, trial.Status);
        Assert.Equal("rung 0 (epoch 1): val_accuracy 0.4 is not the best of 2 results so far (fewer than 3: only the best continues, cut 0.6)", trial.Reason);
        Assert.Single(trial.Evaluations);
        Assert.Equal(1, (await h.Store.GetSweepSummaryAsync(sweep.SweepId))!.StatusCounts[TrialStatus.Pruned]);

        var decision = Assert.Single(await h.Store.GetDecisionsAsync(second.TrialId));
        Assert.Equal(new TrialDecision(1, "prune", "rung", 0, 0, 0.4, 2, 1, 0.6, trial.Reason!), decision);
        Assert.Equal("continue", Assert.Single(await h.Store.GetDecisionsAsync(first.TrialId)).Verdict);
    }

    [SkippableFact]
    public async Task AReplayedEpochGetsTheDecisionItGotTheFirstTimeEvenAfterALostLeaseAndNewResults()
    {
        var h = NewHarness();
        var (_, policy) = await SubmitAshaAsync(h, 3);
        var leader = (await h.Queue.TryClaimAsync("worker-1"))!;
        var pruned = (await h.Queue.TryClaimAsync("worker-2"))!;
        await h.Queue.RecordEpochAsync(leader, Accuracy(1, 0.5), policy);
        var first = await h.Queue.RecordEpochAsync(pruned, Accuracy(1, 0.4), policy);
        Assert.True(first.Decision!.IsPrune);

        // Its worker dies before finishing; the lease expires, a worse result joins the rung (so 0.4 would now be in
        // the top 1/3 of 3), and another worker resumes and re-reports epoch 1 with another value. The decision stands.
        await h.ExpireLeasesAsync();
        await h.Queue.ReapExpiredAsync();
        var claimed = new List<TrialLease>();
        while (await h.Queue.TryClaimAsync("worker-3") is { } lease)
        {
            claimed.Add(lease);
        }

        await h.Queue.RecordEpochAsync(claimed.Single(l => l.TrialId != leader.TrialId && l.TrialId != pruned.TrialId), Accuracy(1, 0.1), policy);
        var resumed = claimed.Single(l => l.TrialId == pruned.TrialId);
        var replay = await h.Queue.RecordEpochAsync(resumed, Accuracy(1, 0.99), policy);
        var again = await h.Queue.RecordEpochAsync(resumed, Accuracy(1, 0.0), policy);

        Assert.Equal((EpochWrite.AlreadyRecorded, first.Decision), (replay.Write, replay.Decision));
        Assert.Equal(first.Decision, again.Decision);
    }

    [SkippableFact]
    public async Task AnEpochRecordedBeforeACrashCutItsDecisionShortIsDecidedWhenItIsReportedAgain()
    {
        var h = NewHarness();
        var (_, policy) = await SubmitAshaAsync(h, 2);
        var leader = (await h.Queue.TryClaimAsync("worker-1"))!;
        var cut = (await h.Queue.TryClaimAsync("worker-2"))!;
        await h.Queue.RecordEpochAsync(leader, Accuracy(1, 0.6), policy);
        // The prefix a kill -9 can leave: the epoch written by the record script, no decision after it.
        Assert.Equal(EpochWrite.Recorded, await h.Queue.RecordEpochAsync(cut, Accuracy(1, 0.3)));

        var replay = await h.Queue.RecordEpochAsync(cut, Accuracy(1, 0.3), policy);

        Assert.Equal((EpochWrite.AlreadyRecorded, DecisionVerdict.Prune, 2), (replay.Write, replay.Decision!.Verdict, replay.Decision.Count));
        Assert.Equal(replay.Decision, (await h.Queue.RecordEpochAsync(cut, Accuracy(1, 0.3), policy)).Decision);
    }

    [SkippableFact]
    public async Task AZombieGetsNoDecisionAndLeavesNoResultAtTheRung()
    {
        var h = NewHarness();
        var (_, policy) = await SubmitAshaAsync(h, 2);
        var zombie = (await h.Queue.TryClaimAsync("worker-1"))!;
        await h.ExpireLeasesAsync();
        await h.Queue.ReapExpiredAsync();
        var owner = (await h.Queue.TryClaimAsync("worker-2"))!;
        Assert.Equal(zombie.TrialId, owner.TrialId);

        var refused = await h.Queue.RecordEpochAsync(zombie, Accuracy(1, 0.9), policy);
        var other = (await h.Queue.TryClaimAsync("worker-3"))!;
        var next = await h.Queue.RecordEpochAsync(other, Accuracy(1, 0.5), policy);

        Assert.Equal((EpochWrite.LeaseLost, (EarlyTerminationDecision?)null), (refused.Write, refused.Decision));
        Assert.Equal((DecisionVerdict.Continue, 1), (next.Decision!.Verdict, next.Decision.Count));
    }

    [SkippableFact]
    public async Task ConcurrentReportersAtOneRungEachSeeADifferentCountAndTheBestAlwaysContinues()
    {
        var h = NewHarness();
        const int trials = 12;
        var (_, policy) = await SubmitAshaAsync(h, trials);
        var leases = new List<TrialLease>();
        for (var i = 0; i < trials; i++)
        {
            leases.Add((await h.Queue.TryClaimAsync($"worker-{i}"))!);
        }

        // Each reporter on a connection of its own, as workers on other machines.
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Server.ConnectAsync()));
        try
        {
            var reports = await Task.WhenAll(leases.Select((lease, i) => Task.Run(() =>
                h.QueueOn(connections[i % connections.Length]).RecordEpochAsync(lease, Accuracy(1, 0.1 + (0.05 * ((i * 7) % trials))), policy))));

            Assert.Equal(Enumerable.Range(1, trials), reports.Select(r => r.Decision!.Count).Order());
            var best = reports.MaxBy(r => r.Decision!.Value)!;
            Assert.Equal(DecisionVerdict.Continue, best.Decision!.Verdict);
            // Whatever the order, the last to arrive saw all 12 and kept 4: it continues only in the top 4.
            var last = reports.Single(r => r.Decision!.Count == trials).Decision!;
            Assert.Equal(4, last.Kept);
            Assert.Equal(last.IsPrune, reports.Count(r => r.Decision!.Value > last.Value) >= 4);
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
