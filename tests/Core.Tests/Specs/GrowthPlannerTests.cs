using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary>How a stored sweep grows: its file edited, or new seeds; a configuration it already runs is never added.</summary>
public sealed class GrowthPlannerTests
{
    private const string Grid = """
        name: lr
        method: grid
        metric: { name: val_loss, goal: minimize, target: 0.5 }
        early_termination: { type: asha, min_epochs: 1, reduction_factor: 3 }
        base: { dataset: synthetic, epochs: 4 }
        parameters:
          lr: { values: [0.001, 0.01] }
        """;

    private static (SweepRecord Sweep, IReadOnlyList<TrialRecord> Trials) Stored(string text)
    {
        var plan = SpecAssert.Parses(text);
        var sweep = new SweepRecord("sw-abcdefghijkl", plan.Name, plan.Method, plan.Metric, text, DateTimeOffset.UnixEpoch, null,
            [.. plan.Trials.Select((_, i) => $"sw-abcdefghijkl-{i:0000}")])
        {
            EarlyTermination = plan.EarlyTermination,
        };
        var trials = plan.Trials.Select((t, i) => new TrialRecord(sweep.TrialIds[i], sweep.Id, i, t.Config, t.Parameters, TrialStatus.Completed,
            1, 3, null, false, 4, null, DateTimeOffset.UnixEpoch, null, null, null, [], [])).ToList();
        return (sweep, trials);
    }

    private static IReadOnlyList<TrainingConfig> Configs(IReadOnlyList<TrialRecord> trials) => [.. trials.Select(t => t.Config)];

    [Fact]
    public void AnEditedGridAddsOnlyTheConfigurationsTheSweepDoesNotRunAndBecomesItsSource()
    {
        var (sweep, trials) = Stored(Grid);
        var edited = Grid.Replace("[0.001, 0.01]", "[0.001, 0.01, 0.1]", StringComparison.Ordinal)
            .Replace("method: grid", "method: grid\nseeds: [0, 1]", StringComparison.Ordinal);

        var growth = GrowthPlanner.FromSource(sweep, Configs(trials), edited, SpecAssert.Defaults);

        // 3 values x 2 seeds = 6 configurations, 2 of them (seed 0 of the first two values) already in the sweep.
        Assert.Equal(2, growth.AlreadyInSweep);
        Assert.Equal(new[] { ("0.001", 1), ("0.01", 1), ("0.1", 0), ("0.1", 1) }, growth.Added.Select(t => (t.Parameters["lr"], t.Config.Seed)));
        Assert.Equal(edited, growth.SourceText);
    }

    [Fact]
    public void TheSameFileAddsNothingAndSaysSo()
    {
        var (sweep, trials) = Stored(Grid);

        var growth = GrowthPlanner.FromSource(sweep, Configs(trials), Grid, SpecAssert.Defaults);

        Assert.Empty(growth.Added);
        Assert.Equal(2, growth.AlreadyInSweep);
    }

    [Fact]
    public void ALargerTrialCountAddsOnlyTheNewSamples()
    {
        const string Random = "name: r\nmethod: random\ntrial_count: 4\nsample_seed: 7\nparameters:\n  lr: { distribution: log_uniform, min: 0.0001, max: 0.1 }\n";
        var (sweep, trials) = Stored(Random);

        var growth = GrowthPlanner.FromSource(sweep, Configs(trials), Random.Replace("trial_count: 4", "trial_count: 6", StringComparison.Ordinal), SpecAssert.Defaults);

        Assert.Equal(4, growth.AlreadyInSweep);
        Assert.Equal(2, growth.Added.Count);
        Assert.DoesNotContain(growth.Added, t => trials.Any(s => s.Config == t.Config));
    }

    [Theory]
    [InlineData("method: grid", "method: random\ntrial_count: 3", "method: must stay grid, the sweep's method")]
    [InlineData("name: lr", "name: other", "name: must stay 'lr', the sweep's name")]
    [InlineData("target: 0.5", "target: 0.4", "metric: must stay { name: val_loss, goal: minimize, target: 0.5 }, the sweep's metric")]
    [InlineData("reduction_factor: 3", "reduction_factor: 2", "early_termination: must stay as the sweep has it (max_epochs resolved): added trials join its rungs")]
    public void WhatTheSweepsTrialsShareCannotChange(string from, string to, string expected)
    {
        var (sweep, trials) = Stored(Grid);

        var error = Assert.Throws<SweepSpecException>(() =>
            GrowthPlanner.FromSource(sweep, Configs(trials), Grid.Replace(from, to, StringComparison.Ordinal), SpecAssert.Defaults));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AnInvalidEditIsReportedByTheOneValidator()
    {
        var (sweep, trials) = Stored(Grid);

        var error = Assert.Throws<SweepSpecException>(() =>
            GrowthPlanner.FromSource(sweep, Configs(trials), Grid.Replace("[0.001, 0.01]", "[0.001, -1]", StringComparison.Ordinal), SpecAssert.Defaults));

        Assert.Contains(error.Errors, e => e.Path == "parameters.lr.values[1]");
    }

    [Fact]
    public void NewSeedsFollowTheLargestAndRunForEveryConfiguration()
    {
        var (_, trials) = Stored(Grid.Replace("method: grid", "method: grid\nseeds: [0, 3]", StringComparison.Ordinal));

        var growth = GrowthPlanner.WithSeeds(trials, 2, SpecAssert.Defaults);

        Assert.Equal(0, growth.AlreadyInSweep);
        Assert.Null(growth.SourceText);
        Assert.Equal(new[] { ("0.001", 4), ("0.001", 5), ("0.01", 4), ("0.01", 5) }, growth.Added.Select(t => (t.Parameters["lr"], t.Config.Seed)));
        Assert.All(growth.Added, t => Assert.Equal(t.Config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Parameters["seed"]));
    }

    [Fact]
    public void SeedsAndTrialsStayWithinTheLimits()
    {
        var (sweep, trials) = Stored(Grid);
        var small = new SweepLimits(MaxTrials: 3, MaxSeeds: 2);

        Assert.Equal("seeds: must be between 1 and 1: the sweep has 1 seeds, at most 2 are allowed",
            Assert.Throws<SweepSpecException>(() => GrowthPlanner.WithSeeds(trials, 2, small)).Errors.Single().ToString());
        Assert.Throws<SweepSpecException>(() => GrowthPlanner.WithSeeds(trials, 0, SpecAssert.Defaults));
        Assert.Equal("document: adds 2 trials to the sweep's 2: 4 trials; at most 3 are allowed",
            Assert.Throws<SweepSpecException>(() => GrowthPlanner.WithSeeds(trials, 1, small)).Errors.Single().ToString());
        Assert.Throws<SweepSpecException>(() => GrowthPlanner.FromSource(sweep, Configs(trials), Grid.Replace("[0.001, 0.01]", "[0.001, 0.01, 0.1, 0.2]", StringComparison.Ordinal), small));
    }
}
