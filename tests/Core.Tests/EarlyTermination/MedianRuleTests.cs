using Experiments.Core.EarlyTermination;

namespace Experiments.Core.Tests.EarlyTermination;

public sealed class MedianRuleTests
{
    private static EarlyTerminationLedger Ledger(int startup = 3, int warmup = 1, MetricGoal goal = MetricGoal.Maximize) =>
        new(new EarlyTerminationPolicy(
            "sw-median",
            new EarlyTerminationSpec(EarlyTerminationType.Median) { StartupTrials = startup, WarmupEpochs = warmup },
            5,
            goal == MetricGoal.Maximize ? "val_accuracy" : "val_loss",
            goal));

    /// <summary>Runs a trial through all its epochs (5), returning the decisions.</summary>
    private static List<EarlyTerminationDecision> Run(EarlyTerminationLedger ledger, string id, int index, params double[] curve) =>
        [.. curve.Select((v, i) => ledger.Report(id, index, i + 1, curve.Length, v))];

    [Fact]
    public void NothingIsComparedUntilStartupTrialsHaveCompleted()
    {
        var ledger = Ledger(startup: 3);
        Run(ledger, "c0", 0, 0.5, 0.6, 0.7, 0.8, 0.9);
        Run(ledger, "c1", 1, 0.5, 0.6, 0.7, 0.8, 0.9);
        var early = Run(ledger, "weak", 2, 0.1, 0.1, 0.1, 0.1, 0.1);
        Assert.All(early, d => Assert.Equal(DecisionVerdict.Continue, d.Verdict));
        Assert.Equal(DecisionBasis.Startup, early[1].Basis);
        Assert.Equal("epoch 2: 2 of 3 startup trials completed, no comparison yet", ledger.Policy.Describe(early[1]));

        // "weak" completed: now 3 trials are in the pool, and the next weak trial is stopped at epoch 2.
        var next = Run(ledger, "weak2", 3, 0.1, 0.1, 0.1, 0.1, 0.1);
        Assert.Equal((DecisionBasis.Warmup, DecisionVerdict.Prune), (next[0].Basis, next[1].Verdict));
        Assert.Equal("epoch 2: best val_accuracy 0.1 worse than median 0.6 of 3 completed trials", ledger.Policy.Describe(next[1]));
    }

    [Fact]
    public void WarmupEpochsAreNeverChecked()
    {
        var ledger = Ledger(startup: 1, warmup: 2);
        Run(ledger, "c0", 0, 0.9, 0.9, 0.9, 0.9, 0.9);
        var decisions = Run(ledger, "weak", 1, 0.1, 0.1, 0.1, 0.1, 0.1);
        Assert.Equal(
            [DecisionBasis.Warmup, DecisionBasis.Warmup, DecisionBasis.Median, DecisionBasis.Median, DecisionBasis.Complete],
            decisions.Select(d => d.Basis));
        Assert.True(decisions[2].IsPrune);
    }

    [Fact]
    public void TheBestValueSoFarIsComparedNotTheLatest()
    {
        var ledger = Ledger(startup: 1);
        Run(ledger, "c0", 0, 0.5, 0.6, 0.7, 0.8, 0.9);
        var dipping = Run(ledger, "dip", 1, 0.5, 0.65, 0.55, 0.9, 0.9);

        // At epoch 3 it reads 0.55 < median 0.7, but its best so far is 0.65: still below, pruned.
        Assert.Equal((0.65, 0.7, DecisionVerdict.Prune), (dipping[2].Value, dipping[2].Cut, dipping[2].Verdict));
        Assert.Equal((0.65, DecisionVerdict.Continue), (dipping[1].Value, dipping[1].Verdict));
    }

    [Fact]
    public void AnEvenPoolUsesTheMidpointAndATieWithTheMedianContinues()
    {
        var ledger = Ledger(startup: 2);
        Run(ledger, "c0", 0, 0.25, 0.25, 0.25, 0.25, 0.25);
        Run(ledger, "c1", 1, 0.75, 0.75, 0.75, 0.75, 0.75);
        var tie = ledger.Report("t", 2, 2, 5, 0.5);
        Assert.Equal((0.5, DecisionVerdict.Continue, 2), (tie.Cut, tie.Verdict, tie.Count));
        Assert.True(ledger.Report("u", 3, 2, 5, 0.49).IsPrune);
    }

    [Fact]
    public void MinimizeStopsTrialsAboveTheMedian()
    {
        var ledger = Ledger(startup: 1, goal: MetricGoal.Minimize);
        Run(ledger, "c0", 0, 2.0, 1.5, 1.2, 1.0, 0.9);
        Assert.False(ledger.Report("good", 1, 2, 5, 1.4).IsPrune);
        Assert.True(ledger.Report("bad", 2, 2, 5, 1.6).IsPrune);
    }

    [Fact]
    public void PrunedAndRunningTrialsAreNotInThePool()
    {
        var ledger = Ledger(startup: 1);
        Run(ledger, "c0", 0, 0.5, 0.5, 0.5, 0.5, 0.5);
        Assert.True(ledger.Report("pruned", 1, 2, 5, 0.1).IsPrune);
        ledger.Report("running", 2, 2, 5, 0.9);
        var decision = ledger.Report("x", 3, 2, 5, 0.49);
        Assert.Equal((1, 0.5, DecisionVerdict.Prune), (decision.Count, decision.Cut, decision.Verdict));
    }

    [Fact]
    public void NoComparisonWhereNoCompletedTrialReachedTheEpoch()
    {
        var policy = new EarlyTerminationPolicy("sw", new EarlyTerminationSpec(EarlyTerminationType.Median) { StartupTrials = 1 }, 10, "val_accuracy", MetricGoal.Maximize);
        var ledger = new EarlyTerminationLedger(policy);
        ledger.Report("short", 0, 1, 2, 0.9);
        ledger.Report("short", 0, 2, 2, 0.9); // completes after 2 epochs
        var decision = ledger.Report("long", 1, 3, 10, 0.1);
        Assert.Equal((DecisionBasis.NoPeers, DecisionVerdict.Continue), (decision.Basis, decision.Verdict));
    }

    [Fact]
    public void AReplayedEpochKeepsItsDecisionAfterThePoolChanged()
    {
        var ledger = Ledger(startup: 1);
        var before = ledger.Report("x", 9, 2, 5, 0.1);
        Assert.Equal(DecisionBasis.Startup, before.Basis);
        Run(ledger, "c0", 0, 0.9, 0.9, 0.9, 0.9, 0.9);
        Assert.Equal(before, ledger.Report("x", 9, 2, 5, 0.1));
        Assert.True(ledger.Report("x", 9, 3, 5, 0.1).IsPrune);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void MedianIsTheMiddleValueOrTheMidpoint(double[] values, double expected) =>
        Assert.Equal(expected, MedianRule.Median(values));
}
