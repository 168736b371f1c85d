using Experiments.Core.EarlyTermination;

namespace Experiments.Core.Tests.Specs;

/// <summary>The <c>early_termination</c> block as the one sweep reader and validator see it, for every method.</summary>
public sealed class EarlyTerminationBlockTests
{
    private const string Asha = "early_termination: { type: asha, min_epochs: 1, reduction_factor: 3 }\n";

    [Theory]
    [InlineData("name: t\nmethod: grid\nparameters: { lr: { values: [0.1, 0.01] } }\n")]
    [InlineData("name: t\nmethod: random\ntrial_count: 3\nparameters: { lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0e-2 } }\n")]
    [InlineData("name: t\nmethod: sobol\ntrial_count: 3\nparameters: { lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0e-2 } }\n")]
    public void EveryMethodTakesTheBlockWithMaxEpochsDefaultingToBaseEpochs(string sweep)
    {
        var plan = SpecAssert.Parses(sweep + "base: { epochs: 7 }\n" + Asha);

        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Asha) { MaxEpochs = 7 }, plan.EarlyTermination);
    }

    [Fact]
    public void ASweepWithoutTheBlockHasNone() =>
        Assert.Null(SpecAssert.Parses(SpecAssert.Grid("base: { epochs: 3 }\n")).EarlyTermination);

    [Fact]
    public void MaxEpochsDefaultsToTheMostEpochsAnyTrialRunsWhenEpochsVary()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("base: { epochs: 3 }\nparameters: { epochs: { values: [2, 9, 5] } }\n" + Asha));

        Assert.Equal(9, plan.EarlyTermination!.MaxEpochs);
    }

    [Fact]
    public void AnExplicitMaxEpochsAndTheMedianRuleAreKeptAsWritten()
    {
        var hyperband = SpecAssert.Parses(SpecAssert.Grid("base: { epochs: 10 }\nearly_termination: { type: hyperband, max_epochs: 9 }\n"));
        var median = SpecAssert.Parses(SpecAssert.Grid("base: { epochs: 10 }\nearly_termination: { type: median }\n"));

        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Hyperband) { MaxEpochs = 9 }, hyperband.EarlyTermination);
        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Median), median.EarlyTermination);
    }

    [Theory]
    [InlineData("base: { epochs: 1 }\n" + Asha, "early_termination.min_epochs: must be < the sweep's epochs (1): the first rung would stop nothing")]
    [InlineData("early_termination: { type: asha, reduction_factor: 1 }\n", "early_termination.reduction_factor: must be >= 2")]
    [InlineData("early_termination: { type: asha, warmup_epochs: 1 }\n", "early_termination.warmup_epochs: only median takes warmup_epochs; asha takes min_epochs, reduction_factor, max_epochs")]
    [InlineData("early_termination: { type: successive_halving }\n", "early_termination.type: must be one of asha, hyperband, median")]
    [InlineData("metric: { name: test_accuracy, goal: maximize }\n" + Asha, "early_termination: needs a metric recorded every epoch (val_accuracy, val_loss, train_accuracy, train_loss); test_accuracy is measured once, after training")]
    [InlineData("early_termination: [asha]\n", "early_termination: must be a mapping, got a list")]
    public void BadBlocksAreRefusedAtTheirPathBySweepValidation(string extra, string expected) =>
        SpecAssert.RejectsWith(SpecAssert.Grid(extra), expected);

    [Fact]
    public void BlockErrorsAreReportedTogetherWithTheRestOfTheFile()
    {
        var errors = SpecAssert.Rejects(SpecAssert.Grid("base: { lr: 0 }\nearly_termination: { type: asha, reduction_factor: 0 }\n"));

        Assert.Contains("base.lr: must be > 0", errors);
        Assert.Contains("early_termination.reduction_factor: must be >= 2", errors);
    }

    [Fact]
    public void TheJsonFormTakesTheSameBlock()
    {
        var plan = SpecAssert.Parses("""{ "name": "t", "method": "grid", "base": { "epochs": 4 }, "early_termination": { "type": "median", "startup_trials": 2 } }""");

        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Median) { StartupTrials = 2 }, plan.EarlyTermination);
    }
}
