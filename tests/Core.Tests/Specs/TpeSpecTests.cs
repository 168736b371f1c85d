using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary><c>method: tpe</c> as the one reader and validator see it: budget, pacing, and path-named errors.</summary>
public sealed class TpeSpecTests
{
    private static string Tpe(string extra, int trialCount = 40) => $"""
        name: t
        method: tpe
        trial_count: {trialCount}
        {extra}
        parameters:
          lr: {"{"} distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 {"}"}
          momentum: {"{"} distribution: uniform, min: 0.5, max: 0.99 {"}"}
          batch_size: {"{"} distribution: int_uniform, min: 16, max: 64 {"}"}
          optimizer: {"{"} values: [adam, sgd] {"}"}
        """;

    [Fact]
    public void TheIssueExampleParsesWithOptunasDefaults()
    {
        var plan = SpecAssert.Parses("""
            method: tpe
            name: issue
            trial_count: 40
            startup_trials: 10
            parameters: { lr: { distribution: log_uniform, min: 1.0e-5, max: 1.0e-1 }, optimizer: { values: [adam, sgd] } }
            """);

        Assert.Equal("tpe", plan.Method);
        Assert.Equal(new SearchBudget(40, 10, 40, 0), plan.Search);
        // No concurrency limit: all ten startup trials are known and queued at submit.
        Assert.Equal(10, plan.Trials.Count);
    }

    [Fact]
    public void SubmitCreatesOnlyTheStartupTrialsThatMayRunAtOnce()
    {
        var plan = SpecAssert.Parses(Tpe("startup_trials: 6\nmax_concurrent: 4\nsample_seed: 5"));

        Assert.Equal(new SearchBudget(40, 6, 4, 5), plan.Search);
        Assert.Equal(4, plan.Trials.Count);
    }

    [Fact]
    public void TheFixedTrialsAreTheStartupSamplesTheSamplerWouldDraw()
    {
        var text = Tpe("startup_trials: 5\nsample_seed: 11");
        var plan = SpecAssert.Parses(text);
        var definition = SweepSpecParser.Definition(text);
        var space = SearchSpace.Of(definition.Parameters);

        for (var k = 0; k < plan.Trials.Count; k++)
        {
            var proposal = TpeSampler.Propose(space, [], 11, k, new TpeSettings { StartupTrials = 5 });
            Assert.Equal(plan.Trials[k].Config, TrialPlanner.Proposed(definition, proposal.Values).Config);
        }
    }

    [Fact]
    public void StartupTrialsDefaultToTenOrTheBudget()
    {
        Assert.Equal(10, SpecAssert.Parses(Tpe("")).Search!.StartupTrials);
        Assert.Equal(3, SpecAssert.Parses(Tpe("", trialCount: 3)).Search!.StartupTrials);
    }

    [Theory]
    [InlineData("startup_trials: 0", "startup_trials: must be between 1 and 10000")]
    [InlineData("startup_trials: 41", "startup_trials: must be at most trial_count (40)")]
    [InlineData("startup_trials: 2.5", "startup_trials: must be a whole number")]
    [InlineData("max_concurrent: 0", "max_concurrent: must be between 1 and 10000")]
    [InlineData("max_concurrent: many", "max_concurrent: must be a number, got a string")]
    [InlineData("seeds: [0, 1]", "seeds: tpe runs each proposed configuration once; set base.seed instead of a seeds list")]
    public void BadTpeSettingsAreNamedByPath(string line, string expected)
    {
        SpecAssert.RejectsWith(Tpe(line), expected);
    }

    [Fact]
    public void TpeNeedsATrialCount()
    {
        SpecAssert.RejectsWith("name: t\nmethod: tpe\nparameters: { lr: { values: [0.1, 0.01] } }", "trial_count: required for tpe sweeps");
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void OtherMethodsRefuseTpeSettings(string method)
    {
        var text = $"name: t\nmethod: {method}\ntrial_count: 4\nstartup_trials: 2\nmax_concurrent: 2\nparameters: {{ lr: {{ values: [0.1, 0.01] }} }}";

        var errors = SpecAssert.Rejects(text);

        Assert.Contains("startup_trials: only tpe sweeps take startup_trials; other methods create every trial at submit", errors);
        Assert.Contains("max_concurrent: only tpe sweeps take max_concurrent; other methods create every trial at submit", errors);
    }

    [Fact]
    public void ParameterErrorsKeepTheirPathsUnderTpe()
    {
        SpecAssert.RejectsWith(
            "name: t\nmethod: tpe\ntrial_count: 4\nparameters: { lr: { distribution: log_uniform, min: 0, max: 0.1 } }",
            "parameters.lr.min: must be > 0");
    }
}
