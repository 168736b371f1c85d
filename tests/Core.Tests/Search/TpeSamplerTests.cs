using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Search;

public sealed class TpeSamplerTests
{
    private static readonly TpeSettings Settings = new();

    [Fact]
    public void SameHistorySeedAndTrialNumberGiveTheSameProposalBitForBit()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 30, seed: 5);

        var first = TpeSampler.Propose(space, history, 42, 30, Settings);
        var again = TpeSampler.Propose(space, history, 42, 30, Settings);
        var shuffled = TpeSampler.Propose(space, [.. history.OrderBy(t => (t.Number * 7919) % 31)], 42, 30, Settings);

        Assert.Equal(ProposalSource.Model, first.Source);
        Assert.Equal(Bits(first), Bits(again));
        Assert.Equal(Bits(first), Bits(shuffled));
    }

    [Fact]
    public void AnotherSeedOrTrialNumberGivesAnotherProposal()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 30, seed: 5);

        var proposal = Bits(TpeSampler.Propose(space, history, 42, 30, Settings));

        Assert.NotEqual(proposal, Bits(TpeSampler.Propose(space, history, 43, 30, Settings)));
        Assert.NotEqual(proposal, Bits(TpeSampler.Propose(space, history, 42, 31, Settings)));
    }

    [Fact]
    public void ProposalsStayInTheirRangesOnTheirGridsAndAmongTheirChoices()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 10, seed: 1);
        for (var k = 10; k < 120; k++)
        {
            var values = TpeSampler.Propose(space, history, 9, k, Settings).Values;
            history.Add(new ObservedTrial(k, ObservedState.Complete, values) { Value = SearchSpaces.Accuracy(values) });

            Assert.InRange((double)values[0]!, 1e-5, 1e-1);
            Assert.InRange((double)values[1]!, 0.5, 0.99);
            // 32, 64, ..., 224: the last step at or below max 250.
            Assert.Contains((int)values[2]!, new[] { 32, 64, 96, 128, 160, 192, 224 });
            Assert.Contains((string)values[3]!, SearchSpaces.Optimizers);
            Assert.Equal(0.0005, values[4]);
        }

        // The model found the peak's choice and grid point.
        var best = history.MaxBy(t => t.Value)!;
        Assert.Equal("sgd", best.Values[3]);
        Assert.Equal(64, best.Values[2]);
    }

    [Fact]
    public void StartupTrialsAreTheSamplesOfMethodRandomWithTheSameSeed()
    {
        var space = SearchSpaces.Mixed();
        var random = RandomExpansion.Expand(space.Parameters, 10, 77).ToList();

        for (var k = 0; k < 10; k++)
        {
            var proposal = TpeSampler.Propose(space, SearchSpaces.Completed(space, k, seed: 77), 77, k, Settings);

            Assert.Equal(ProposalSource.Startup, proposal.Source);
            Assert.Equal(random[k], proposal.Values);
        }
    }

    [Fact]
    public void TheModelWaitsForStartupTrialsToFinishNotJustToBeCreated()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 9, seed: 3);
        history.AddRange(Enumerable.Range(9, 6).Select(k => new ObservedTrial(k, ObservedState.Pending, TpeSampler.StartupSample(space, 3, k))));
        history.Add(new ObservedTrial(15, ObservedState.Failed, TpeSampler.StartupSample(space, 3, 15)));

        Assert.Equal(ProposalSource.Startup, TpeSampler.Propose(space, history, 3, 16, Settings).Source);

        history.Add(new ObservedTrial(16, ObservedState.Pruned, TpeSampler.StartupSample(space, 3, 16)) { Intermediate = [new(0, 0.3)] });
        Assert.Equal(ProposalSource.Model, TpeSampler.Propose(space, history, 3, 17, Settings).Source);
    }

    [Fact]
    public void ParallelProposalsWithPendingTrialsAreAllDistinct()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 20, seed: 11);

        // Eight workers each create the next trial before any of them finishes.
        for (var k = 20; k < 28; k++)
        {
            var values = TpeSampler.Propose(space, history, 11, k, Settings).Values;
            Assert.DoesNotContain(history, t => SearchSpace.SameValues(t.Values, values));
            history.Add(new ObservedTrial(k, ObservedState.Pending, values));
        }
    }

    [Fact]
    public void TheConstantLiarMovesAProposalOffAPointAnotherWorkerIsAlreadyTrying()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 30, seed: 8);
        var noRepeatCheck = Settings with { AvoidRepeats = false };
        int moved = 0, movedWithoutLiar = 0;
        for (ulong seed = 0; seed < 50; seed++)
        {
            // Same seed and trial number: the same candidates are drawn, so only the pending trial can change the choice.
            var first = TpeSampler.Propose(space, history, seed, 30, noRepeatCheck).Values;
            List<ObservedTrial> racing = [.. history, new ObservedTrial(30, ObservedState.Pending, first)];

            moved += SearchSpace.SameValues(first, TpeSampler.Propose(space, racing, seed, 30, noRepeatCheck).Values) ? 0 : 1;
            movedWithoutLiar += SearchSpace.SameValues(first, TpeSampler.Propose(space, racing, seed, 30, noRepeatCheck with { ConstantLiar = false }).Values) ? 0 : 1;
        }

        Assert.Equal(0, movedWithoutLiar);
        Assert.True(moved >= 45, $"the liar moved {moved} of 50 proposals off the pending point");
    }

    [Fact]
    public void ARepeatedConfigurationIsNotProposedWhileAnotherCandidateIsNew()
    {
        var space = SearchSpace.Of(
        [
            new ChoiceParameter(SearchSpaces.Field("optimizer"), SearchSpaces.Optimizers),
            new ChoiceParameter(SearchSpaces.Field("scheduler"), ["none", "cosine"]),
        ]);
        double Metric(IReadOnlyList<object?> v) => ((string)v[0]! == "sgd" ? 1 : 0) + ((string)v[1]! == "cosine" ? 1 : 0);
        var settings = Settings with { StartupTrials = 2 };
        var history = new List<ObservedTrial>();
        for (var k = 0; k < 6; k++)
        {
            var values = TpeSampler.Propose(space, history, 4, k, settings).Values;
            history.Add(new ObservedTrial(k, ObservedState.Complete, values) { Value = Metric(values) });
        }

        // All six configurations, each once.
        Assert.Equal(6, history.Select(t => $"{t.Values[0]}/{t.Values[1]}").Distinct().Count());
    }

    [Fact]
    public void PrunedTrialsRankBehindCompleteOnesByTheLastEpochTheyReachedThenTheirValue()
    {
        var space = SearchSpace.Of([new RangeParameter(SearchSpaces.Field("momentum"), Distribution.Uniform, 0, 0.99)]);
        ObservedTrial Trial(int n, ObservedState state, double x, double? value = null, params IntermediateValue[] steps) =>
            new(n, state, [x]) { Value = value, Intermediate = steps };
        var history = new[]
        {
            Trial(0, ObservedState.Pruned, 0.0, null, new(0, 0.99), new(1, 0.95)),
            Trial(1, ObservedState.Complete, 0.1, 0.5),
            Trial(2, ObservedState.Pruned, 0.2, null, new(0, 0.2), new(1, 0.4), new(2, 0.3)),
            Trial(3, ObservedState.Pending, 0.3),
            Trial(4, ObservedState.Failed, 0.4),
            Trial(5, ObservedState.Complete, 0.5, 0.6),
            Trial(6, ObservedState.Pruned, 0.6),
            Trial(7, ObservedState.Pruned, 0.7, null, new(0, double.NaN), new(1, double.NaN)),
        };

        var ranked = ObservationRanking.Rank(space, history, Settings);
        var order = ranked.OrderBy(o => o.Step).ThenBy(o => o.Loss).Select(o => o.Number);

        // Complete by value (maximised); pruned at epoch 2; pruned at epoch 1 by value, NaN last; nothing reported; pending.
        Assert.Equal(new[] { 5, 1, 2, 0, 7, 6, 3 }, order);
        var (below, above) = ObservationRanking.Split(ranked, 2);
        Assert.Equal(new[] { 0.1, 0.5 }, below.Select(p => p[0]));
        Assert.Equal(new[] { 0.0, 0.2, 0.3, 0.6, 0.7 }, above.Select(p => p[0]));
    }

    [Fact]
    public void TrialsOutsideTheSpaceAreLeftOutOfTheModel()
    {
        var space = SearchSpaces.Mixed();
        var history = SearchSpaces.Completed(space, 12, seed: 6);
        var outside = history.Select((t, i) => i % 2 == 0 ? t with { Values = [1.0, .. t.Values.Skip(1)] } : t).ToList();

        var ranked = ObservationRanking.Rank(space, outside, Settings);

        Assert.Equal(6, ranked.Count);
        Assert.Equal(ProposalSource.Startup, TpeSampler.Propose(space, outside, 6, 12, Settings).Source);
    }

    [Fact]
    public void GammaAndWeightsAreOptunasDefaults()
    {
        Assert.Equal(new[] { 1, 1, 3, 4, 10, 25, 25 }, new[] { 1, 10, 30, 31, 100, 250, 2000 }.Select(TpeSampler.Gamma));
        Assert.Equal(new[] { 1.0, 1.0 }, ParzenEstimator.ObservationWeights(2));
        var weights = ParzenEstimator.ObservationWeights(30);
        Assert.Equal(1.0 / 30, weights[0], 12);
        Assert.Equal(1.0, weights[4], 12);
        Assert.All(weights.Skip(5), w => Assert.Equal(1.0, w));
    }

    private static string Bits(SearchProposal proposal) =>
        string.Join(",", proposal.Values.Select(v => v is double d ? BitConverter.DoubleToInt64Bits(d).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) : $"{v}"));
}
