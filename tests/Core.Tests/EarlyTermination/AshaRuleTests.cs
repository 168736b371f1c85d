using Experiments.Core.EarlyTermination;

namespace Experiments.Core.Tests.EarlyTermination;

public sealed class AshaRuleTests
{
    private static readonly EarlyTerminationSpec Asha = new(EarlyTerminationType.Asha) { MinEpochs = 1, ReductionFactor = 3 };

    private static EarlyTerminationLedger Ledger(MetricGoal goal = MetricGoal.Maximize, EarlyTerminationSpec? spec = null) =>
        new(new EarlyTerminationPolicy("sw-test", spec ?? Asha, 10, goal == MetricGoal.Maximize ? "val_accuracy" : "val_loss", goal));

    [Fact]
    public void FirstTrialAtARungAlwaysContinues()
    {
        var ledger = Ledger();
        var decision = ledger.Report("t0", 0, 1, 10, 0.01);
        Assert.Equal((DecisionVerdict.Continue, DecisionBasis.Rung, 1, 1, 0.01), (decision.Verdict, decision.Basis, decision.Count, decision.Kept, decision.Cut));
    }

    [Fact]
    public void PromotesExactlyTheTopThirdOfResultsSoFarInOrderOfArrival()
    {
        var ledger = Ledger();
        // Arrival order at rung 0 (epoch 1) and what ASHA decides with what it has seen so far (eta = 3):
        // n < 3: only the best so far continues; then max(1, floor(n / 3)) continue.
        (double Value, bool Continues, int Kept)[] arrivals =
        [
            (0.50, true, 1),   // first: best of 1
            (0.40, false, 1),  // not the best of 2
            (0.60, true, 1),   // best of 3
            (0.55, false, 1),  // n = 4, kept 1: 0.60 is better
            (0.58, false, 1),  // n = 5, kept 1
            (0.59, true, 2),   // n = 6, kept 2: only 0.60 is better
            (0.45, false, 2),  // n = 7, kept 2
            (0.70, true, 2),   // n = 8, kept 2: the best
            (0.595, true, 3),  // n = 9, kept 3: 0.70 and 0.60 are better
        ];
        for (var i = 0; i < arrivals.Length; i++)
        {
            var decision = ledger.Report($"t{i}", i, 1, 10, arrivals[i].Value);
            Assert.True(
                (arrivals[i].Continues, arrivals[i].Kept, i + 1) == (decision.Verdict == DecisionVerdict.Continue, decision.Kept, decision.Count),
                $"arrival {i} ({arrivals[i].Value}): {decision}");
        }
    }

    [Fact]
    public void KeepsTheTopThirdAtEveryRungOfAFullSweepWhateverTheOrder()
    {
        // 27 trials arrive at each rung in a shuffled order; each result is judged against those before it, so the
        // decisions follow the rule exactly: fewer than kept = max(1, floor(n / 3)) strictly better.
        var random = new Random(7);
        var ledger = Ledger();
        var seen = new Dictionary<int, List<double>>();
        var order = Enumerable.Range(0, 27).OrderBy(_ => random.Next()).ToArray();
        foreach (var epoch in new[] { 1, 3, 9 })
        {
            var rung = seen[epoch] = [];
            foreach (var trial in order)
            {
                var value = Math.Round(random.NextDouble(), 2); // two decimals: plenty of ties
                rung.Add(value);
                var decision = ledger.Report($"t{trial}", trial, epoch, 10, value);
                var kept = Math.Max(1, rung.Count / 3);
                Assert.Equal(rung.Count(v => v > value) < kept, decision.Verdict == DecisionVerdict.Continue);
                Assert.Equal(rung.OrderDescending().ElementAt(kept - 1), decision.Cut);
            }
        }
    }

    [Fact]
    public void ATieWithTheCutContinues()
    {
        var ledger = Ledger();
        ledger.Report("a", 0, 1, 10, 0.5);
        ledger.Report("b", 1, 1, 10, 0.4);
        var tie = ledger.Report("c", 2, 1, 10, 0.5);
        Assert.Equal((DecisionVerdict.Continue, 1, 0.5), (tie.Verdict, tie.Kept, tie.Cut));
    }

    [Fact]
    public void MinimizeKeepsTheLowestValues()
    {
        var ledger = Ledger(MetricGoal.Minimize);
        Assert.False(ledger.Report("a", 0, 1, 10, 1.2).IsPrune);
        Assert.True(ledger.Report("b", 1, 1, 10, 1.5).IsPrune);
        Assert.False(ledger.Report("c", 2, 1, 10, 0.9).IsPrune);
    }

    [Fact]
    public void OnlyRungEpochsBeforeTheLastAreChecked()
    {
        var ledger = Ledger(spec: Asha with { MaxEpochs = 9 });
        var checkedEpochs = Enumerable.Range(1, 9).Where(e => ledger.Report("a", 0, e, 9, 0.5).Basis == DecisionBasis.Rung);
        Assert.Equal([1, 3], checkedEpochs);

        // A trial that runs 3 epochs is not checked at its last epoch, even though 3 is a rung.
        Assert.Equal(DecisionBasis.Unchecked, ledger.Report("short", 1, 3, 3, 0.1).Basis);
    }

    [Fact]
    public void AReplayedEpochGetsTheDecisionItGotTheFirstTime()
    {
        var ledger = Ledger();
        ledger.Report("a", 0, 1, 10, 0.5);
        var first = ledger.Report("b", 1, 1, 10, 0.6);
        for (var i = 2; i < 12; i++)
        {
            ledger.Report($"t{i}", i, 1, 10, 0.9); // now 0.6 would be far outside the top third
        }

        var replay = ledger.Report("b", 1, 1, 10, 0.1); // even with another value (a non-deterministic re-run)
        Assert.Equal(first, replay);
        Assert.Equal(DecisionVerdict.Continue, replay.Verdict);
    }

    [Fact]
    public void ANonFiniteValueIsPrunedAndNotCountedAtTheRung()
    {
        var ledger = Ledger();
        var nan = ledger.Report("a", 0, 1, 10, double.NaN);
        Assert.Equal((DecisionVerdict.Prune, DecisionBasis.NotFinite), (nan.Verdict, nan.Basis));
        var next = ledger.Report("b", 1, 1, 10, 0.1);
        Assert.Equal((DecisionVerdict.Continue, 1), (next.Verdict, next.Count));
    }

    [Fact]
    public void TheReasonNamesTheRungAndTheComparison()
    {
        var ledger = Ledger();
        double[] values = [0.5, 0.455, 0.47, 0.3, 0.2, 0.1];
        for (var i = 0; i < values.Length; i++)
        {
            ledger.Report($"t{i}", i, 3, 10, values[i]);
        }

        // Rung 1 of 1, 3, 9 is epoch 3; the 7th result keeps 2: cut is the 2nd best (0.47).
        var decision = ledger.Report("late", 6, 3, 10, 0.412);
        Assert.Equal("rung 1 (epoch 3): val_accuracy 0.412 not in top 1/3 of 7 results (2 continue, cut 0.47)", ledger.Policy.Describe(decision));

        var early = Ledger();
        early.Report("a", 0, 1, 10, 0.5);
        Assert.Equal(
            "rung 0 (epoch 1): val_accuracy 0.4 is not the best of 2 results so far (fewer than 3: only the best continues, cut 0.5)",
            early.Policy.Describe(early.Report("b", 1, 1, 10, 0.4)));
    }

    [Fact]
    public void TheReasonShowsEnoughDigitsToTellValueFromCut()
    {
        var decision = new EarlyTerminationDecision(DecisionVerdict.Prune, DecisionBasis.Rung, 3, 0, 1, 0.45512, 7, 2, 0.45549);
        Assert.Contains("0.4551 not in top 1/3 of 7 results (2 continue, cut 0.4555)", decision.Describe(EarlyTerminationType.Asha, "val_accuracy", 3), StringComparison.Ordinal);
    }

    [Fact]
    public void TheStoredRecordReadsBackEqual()
    {
        var ledger = Ledger();
        ledger.Report("a", 0, 1, 10, 0.1 + 0.2);
        var decision = ledger.Report("b", 1, 1, 10, 1.0 / 3);
        Assert.Equal(decision, EarlyTerminationDecision.Parse(decision.Encode()));
        var nan = ledger.Report("c", 2, 1, 10, double.NegativeInfinity);
        Assert.Equal(nan, EarlyTerminationDecision.Parse(nan.Encode()));
    }
}
