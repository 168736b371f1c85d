using System.Globalization;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class SampledExpansionTests
{
    private static string Sampled(string method, int sampleSeed, int trialCount = 20) => $"""
        name: s
        method: {method}
        trial_count: {trialCount}
        sample_seed: {sampleSeed}
        parameters:
          lr: {"{"} distribution: log_uniform, min: 1.0e-4, max: 1.0e-2 {"}"}
          momentum: {"{"} distribution: uniform, min: 0.5, max: 0.99 {"}"}
          batch_size: {"{"} distribution: int_uniform, min: 64, max: 256 {"}"}
          optimizer: {"{"} values: [adam, adamw, sgd] {"}"}
          weight_decay: {"{"} value: 0.0005 {"}"}
        """;

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void SameFileGivesTheSameTrials(string method)
    {
        var first = SpecAssert.Parses(Sampled(method, 7));
        var second = SpecAssert.Parses(Sampled(method, 7));

        Assert.Equal(20, first.Trials.Count);
        Assert.Equal(first.Trials.Select(t => t.Config), second.Trials.Select(t => t.Config));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void DifferentSampleSeedGivesDifferentTrials(string method)
    {
        var seven = SpecAssert.Parses(Sampled(method, 7)).Trials.Select(t => t.Config.Lr).ToList();
        var eight = SpecAssert.Parses(Sampled(method, 8)).Trials.Select(t => t.Config.Lr).ToList();

        Assert.NotEqual(seven, eight);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void SamplesStayInTheirRangesAndChoices(string method)
    {
        var plan = SpecAssert.Parses(Sampled(method, 3, trialCount: 500));

        Assert.All(plan.Trials, t =>
        {
            Assert.InRange(t.Config.Lr, 1e-4, 1e-2);
            Assert.InRange(t.Config.Momentum, 0.5, 0.99);
            Assert.InRange(t.Config.BatchSize, 64, 256);
            Assert.True(Enum.IsDefined(t.Config.Optimizer));
            Assert.Equal(0.0005, t.Config.WeightDecay);
        });

        // Every choice and both ends of the integer range are reachable.
        Assert.Equal(3, plan.Trials.Select(t => t.Config.Optimizer).Distinct().Count());
        Assert.Contains(plan.Trials, t => t.Config.BatchSize < 70);
        Assert.Contains(plan.Trials, t => t.Config.BatchSize > 250);
    }

    [Fact]
    public void LogUniformSpreadsEvenlyAcrossDecades()
    {
        var plan = SpecAssert.Parses(Sampled("sobol", 1, trialCount: 512));

        var belowGeometricMean = plan.Trials.Count(t => t.Config.Lr < 1e-3);

        // Sobol is balanced: half the points below the log-midpoint, give or take rounding.
        Assert.InRange(belowGeometricMean, 250, 262);
    }

    [Fact]
    public void SampledValuesAreRoundedToSixSignificantDigits()
    {
        var plan = SpecAssert.Parses(Sampled("random", 5));

        Assert.All(plan.Trials, t =>
        {
            var lr = t.Config.Lr;
            Assert.Equal(double.Parse(lr.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), lr);
            Assert.Equal(lr.ToString("R", CultureInfo.InvariantCulture), t.Parameters["lr"]);
        });
    }

    [Fact]
    public void SampledSweepsDeduplicateRepeatedDraws()
    {
        // Two choices sampled 50 times can only make two distinct configurations.
        var plan = SpecAssert.Parses("""
            name: few
            method: random
            trial_count: 50
            parameters:
              optimizer: { values: [adam, sgd] }
            """);

        Assert.Equal(2, plan.Trials.Count);
    }

    [Fact]
    public void SampledSweepsCrossWithSeeds()
    {
        var plan = SpecAssert.Parses("""
            name: s
            method: sobol
            trial_count: 4
            seeds: [10, 20]
            parameters:
              lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0e-2 }
            """);

        Assert.Equal(8, plan.Trials.Count);
        Assert.Equal([10, 20, 10, 20, 10, 20, 10, 20], plan.Trials.Select(t => t.Config.Seed));
        Assert.Equal(plan.Trials[0].Config.Lr, plan.Trials[1].Config.Lr);
        Assert.Equal(["lr", "seed"], plan.Trials[0].Parameters.Keys);
    }

    [Fact]
    public void SobolExpansionCoversEveryChoiceInTheFirstPoints()
    {
        var plan = SpecAssert.Parses("""
            name: s
            method: sobol
            trial_count: 4
            parameters:
              scheduler: { values: [none, step, cosine, onecycle] }
            """);

        // A digital shift permutes the four quarter-intervals: four points hit four different choices.
        Assert.Equal(4, plan.Trials.Select(t => t.Config.Scheduler).Distinct().Count());
    }
}
