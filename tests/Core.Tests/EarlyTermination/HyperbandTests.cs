using Experiments.Core.EarlyTermination;

namespace Experiments.Core.Tests.EarlyTermination;

public sealed class HyperbandTests
{
    [Theory]
    [InlineData(1, 3, 10, new[] { 1, 3, 9 })]
    [InlineData(1, 3, 9, new[] { 1, 3 })]
    [InlineData(2, 2, 20, new[] { 2, 4, 8, 16 })]
    [InlineData(1, 4, 100, new[] { 1, 4, 16, 64 })]
    public void AshaRungsAreMinTimesEtaToTheKBeforeMaxEpochs(int min, int eta, int max, int[] rungs)
    {
        var schedule = new RungSchedule(min, eta, max, hyperband: false);
        Assert.Equal(1, schedule.BracketCount);
        Assert.Equal(rungs, schedule.RungEpochs(0));
    }

    [Fact]
    public void HyperbandBracketsStartOneRungLaterEachAndWeighTrialsAsHyperband()
    {
        var schedule = new RungSchedule(1, 3, 9, hyperband: true);
        Assert.Equal(3, schedule.BracketCount); // floor(log3(9 / 1)) + 1
        Assert.Equal([1, 3], schedule.RungEpochs(0));
        Assert.Equal([3], schedule.RungEpochs(1));
        Assert.Empty(schedule.RungEpochs(2)); // Hyperband's s = 0 bracket runs everything to the end
        // n_s = ceil((s_max + 1) * eta^s / (s + 1)): 9, 5, 3 as in Li et al. 2018 (and Optuna).
        Assert.Equal([9, 5, 3], schedule.BracketBudgets);

        Assert.Equal([16, 10, 7, 5, 5], new RungSchedule(1, 2, 16, hyperband: true).BracketBudgets);
        Assert.Equal(3, new RungSchedule(1, 3, 10, hyperband: true).BracketCount);
    }

    [Fact]
    public void BracketAssignmentIsAPureFunctionOfSweepAndIndex()
    {
        int[] budgets = [9, 5, 3];
        var first = Enumerable.Range(0, 200).Select(i => BracketAssignment.BracketOf("sw-a", i, budgets)).ToArray();
        var again = Enumerable.Range(0, 200).Select(i => BracketAssignment.BracketOf("sw-a", i, budgets)).ToArray();
        Assert.Equal(first, again);

        // Pinned: a change here would move running trials to other brackets after an upgrade.
        Assert.Equal([0, 0, 0, 2, 0, 1, 1, 1, 1, 0, 2, 0, 0, 1, 0, 0, 2], first[..17]);
        Assert.NotEqual(first, Enumerable.Range(0, 200).Select(i => BracketAssignment.BracketOf("sw-b", i, budgets)));
    }

    [Fact]
    public void EveryFullCycleOfIndexesMatchesTheBudgetsExactly()
    {
        int[] budgets = [9, 5, 3];
        for (var cycle = 0; cycle < 5; cycle++)
        {
            var counts = new int[3];
            for (var i = cycle * 17; i < (cycle + 1) * 17; i++)
            {
                counts[BracketAssignment.BracketOf("sw-x", i, budgets)]++;
            }

            Assert.Equal(budgets, counts);
        }
    }

    [Fact]
    public void HyperbandTrialsAreComparedOnlyWithinTheirBracket()
    {
        var spec = new EarlyTerminationSpec(EarlyTerminationType.Hyperband) { MinEpochs = 1, ReductionFactor = 3 };
        var policy = new EarlyTerminationPolicy("sw-h", spec, 9, "val_accuracy", MetricGoal.Maximize);
        var ledger = new EarlyTerminationLedger(policy);
        var bracket0 = Enumerable.Range(0, 40).Where(i => policy.BracketOf(i) == 0).Take(2).ToArray();
        var bracket1 = Enumerable.Range(0, 40).First(i => policy.BracketOf(i) == 1);

        // Bracket 0 checks at epoch 1; bracket 1 first checks at epoch 3, against its own rung only.
        Assert.False(ledger.Report("a", bracket0[0], 3, 9, 0.9).IsPrune);
        Assert.Equal(DecisionBasis.Unchecked, ledger.Report("b", bracket1, 1, 9, 0.1).Basis);
        var first = ledger.Report("b", bracket1, 3, 9, 0.1);
        Assert.Equal((DecisionVerdict.Continue, 1, 1, 0), (first.Verdict, first.Count, first.Bracket, first.Rung));
        Assert.Equal("bracket 1 rung 0 (epoch 3): val_accuracy 0.1 is the best of 1 result so far (fewer than 3: only the best continues)", policy.Describe(first));
        Assert.True(ledger.Report("c", bracket0[1], 3, 9, 0.5).IsPrune);
    }
}
