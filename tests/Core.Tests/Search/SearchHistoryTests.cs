using Experiments.Core.Records;
using Experiments.Core.Search;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Queue;

namespace Experiments.Core.Tests.Search;

/// <summary>How stored trials become the model's history: states, scores and per-epoch values.</summary>
public sealed class SearchHistoryTests
{
    private static readonly SweepDefinition Definition = SweepSpecParser.Definition("""
        name: h
        method: tpe
        trial_count: 10
        parameters:
          lr: { distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 }
          optimizer: { values: [adam, sgd] }
        """);

    private static TrialRecord Trial(int index, TrialStatus status, double lr) => new(
        $"sw-aaaaaaaaaaaa-{index:D4}", "sw-aaaaaaaaaaaa", index, new TrainingConfig { Lr = lr, Optimizer = Optimizer.Sgd }, new Dictionary<string, string>(),
        status, 1, 3, null, false, 0, null, DateTimeOffset.UnixEpoch, null, null, null, [], []);

    private static IReadOnlyList<EpochMetrics> Accuracies(params double[] values) =>
        [.. values.Select((v, i) => TestPlans.Epoch(i + 1) with { ValAccuracy = v })];

    [Fact]
    public void EachStatusBecomesTheStateTheModelRanksBy()
    {
        TrialRecord[] trials =
        [
            Trial(0, TrialStatus.Completed, 1e-3), Trial(1, TrialStatus.Diverged, 1e-1), Trial(2, TrialStatus.Failed, 1e-4),
            Trial(3, TrialStatus.Cancelled, 1e-4), Trial(4, TrialStatus.Running, 1e-2), Trial(5, TrialStatus.Queued, 1e-5),
        ];
        var epochs = new Dictionary<string, IReadOnlyList<EpochMetrics>>
        {
            [trials[0].Id] = Accuracies(0.5, 0.7, 0.6),
            [trials[1].Id] = Accuracies(0.2, double.NaN),
        };

        var history = SearchHistory.Observe(Definition, trials, epochs);

        Assert.Equal(
            [ObservedState.Complete, ObservedState.Pruned, ObservedState.Failed, ObservedState.Failed, ObservedState.Pending, ObservedState.Pending],
            history.Select(h => h.State));
        // The best epoch, never just the last, as the Dashboard ranks trials.
        Assert.Equal(0.7, history[0].Value);
        Assert.Equal([1, 2], history[1].Intermediate.Select(v => v.Step));
        Assert.True(double.IsNaN(history[1].Intermediate[1].Value));
        Assert.Equal((1e-3, Optimizer.Sgd), ((double)history[0].Values[0]!, (Optimizer)history[0].Values[1]!));
    }

    [Fact]
    public void APrunedTrialIsRankedByTheEpochsItRanAsOptunaRanksAPrunedTrial()
    {
        TrialRecord[] trials = [Trial(0, TrialStatus.Pruned, 1e-2), Trial(1, TrialStatus.Pruned, 1e-4)];
        var epochs = new Dictionary<string, IReadOnlyList<EpochMetrics>> { [trials[0].Id] = Accuracies(0.3, 0.35) };

        var history = SearchHistory.Observe(Definition, trials, epochs);

        Assert.Equal([ObservedState.Pruned, ObservedState.Pruned], history.Select(h => h.State));
        Assert.Equal([(1, 0.3), (2, 0.35)], history[0].Intermediate.Select(v => (v.Step, v.Value)));
        Assert.Null(history[0].Value);
        // Pruned before its first epoch was recorded: still a pruned trial, ranked behind those that reported.
        Assert.Empty(history[1].Intermediate);
    }

    [Fact]
    public void ACompletedTrialWithoutAnyScoreTeachesNothing()
    {
        var history = SearchHistory.Observe(Definition, [Trial(0, TrialStatus.Completed, 1e-3)], new Dictionary<string, IReadOnlyList<EpochMetrics>>());

        Assert.Equal(ObservedState.Failed, Assert.Single(history).State);
    }
}
