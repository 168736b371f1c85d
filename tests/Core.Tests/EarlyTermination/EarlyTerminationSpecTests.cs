using Experiments.Core.EarlyTermination;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.EarlyTermination;

public sealed class EarlyTerminationSpecTests
{
    private static IReadOnlyList<string> Read(string yaml, out EarlyTerminationSpec? spec, int epochs = 10, string metric = "val_accuracy")
    {
        var errors = new SpecErrorList();
        var root = (SpecMapping)YamlSpecReader.Read(yaml);
        spec = EarlyTerminationSpecReader.Read(root.Entries.Single(e => e.Key == "early_termination").Value, epochs, metric, new SweepLimits(), errors);
        return [.. errors.ToList().Select(e => e.ToString())];
    }

    private static IReadOnlyList<string> Errors(string yaml, int epochs = 10, string metric = "val_accuracy") => Read(yaml, out _, epochs, metric);

    [Fact]
    public void TheIssuesExamplesReadWithTheirDefaults()
    {
        Assert.Empty(Read("early_termination: { type: asha, min_epochs: 1, reduction_factor: 3 }", out var asha));
        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Asha), asha);
        Assert.Equal(10, asha!.ResolveMaxEpochs(10));

        Assert.Empty(Read("early_termination: { type: hyperband, min_epochs: 1, reduction_factor: 3, max_epochs: 9 }", out var hyperband));
        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Hyperband) { MaxEpochs = 9 }, hyperband);

        Assert.Empty(Read("early_termination: { type: median, startup_trials: 5, warmup_epochs: 1 }", out var median));
        Assert.Equal(new EarlyTerminationSpec(EarlyTerminationType.Median), median);

        Assert.Empty(Read("early_termination: null", out var none));
        Assert.Null(none);
    }

    [Theory]
    [InlineData("{ type: asha, reduction_factor: 1 }", "early_termination.reduction_factor: must be >= 2")]
    [InlineData("{ type: asha, min_epochs: 0 }", "early_termination.min_epochs: must be >= 1")]
    [InlineData("{ type: asha, min_epochs: 10 }", "early_termination.min_epochs: must be < the sweep's epochs (10): the first rung would stop nothing")]
    [InlineData("{ type: hyperband, min_epochs: 4, max_epochs: 4 }", "early_termination.min_epochs: must be < max_epochs (4): the first rung would stop nothing")]
    [InlineData("{ type: asha, max_epochs: 501 }", "early_termination.max_epochs: must be between 1 and 500")]
    [InlineData("{ type: asha, min_epochs: 1.5 }", "early_termination.min_epochs: must be a whole number")]
    [InlineData("{ type: asha, reduction_factor: three }", "early_termination.reduction_factor: must be a number, got a string")]
    [InlineData("{ type: median, startup_trials: 0 }", "early_termination.startup_trials: must be >= 1 (the median needs at least one completed trial)")]
    [InlineData("{ type: median, warmup_epochs: -1 }", "early_termination.warmup_epochs: must be >= 0")]
    [InlineData("{ type: median, warmup_epochs: 9 }", "early_termination.warmup_epochs: must be <= 8: trials run 10 epochs and the last is never checked, so no epoch would be")]
    [InlineData("{ type: median, min_epochs: 2 }", "early_termination.min_epochs: only asha and hyperband take min_epochs; median takes startup_trials, warmup_epochs")]
    [InlineData("{ type: asha, startup_trials: 2 }", "early_termination.startup_trials: only median takes startup_trials; asha takes min_epochs, reduction_factor, max_epochs")]
    [InlineData("{ type: bohb }", "early_termination.type: must be one of asha, hyperband, median")]
    [InlineData("{ min_epochs: 1 }", "early_termination.type: required: one of asha, hyperband, median")]
    [InlineData("{ type: asha, patience: 3 }", "early_termination.patience: unknown key (allowed: type, min_epochs, reduction_factor, max_epochs, startup_trials, warmup_epochs)")]
    [InlineData("asha", "early_termination: must be a mapping, got a string")]
    public void BadBlocksAreRefusedAtTheirPath(string block, string expected)
    {
        var errors = Errors($"early_termination: {block}");
        Assert.True(errors.Contains(expected), $"expected \"{expected}\" among:\n  {string.Join("\n  ", errors)}");
    }

    [Fact]
    public void AMetricMeasuredOnlyAfterTrainingCannotStopTrials() =>
        Assert.Equal(
            ["early_termination: needs a metric recorded every epoch (val_accuracy, val_loss, train_accuracy, train_loss); test_accuracy is measured once, after training"],
            Errors("early_termination: { type: asha }", metric: "test_accuracy"));

    [Fact]
    public void ValidateReportsEveryProblemOfATypedSpec()
    {
        var spec = new EarlyTerminationSpec(EarlyTerminationType.Asha) { MinEpochs = 0, ReductionFactor = 1 };
        Assert.Equal(
            ["early_termination.min_epochs: must be >= 1", "early_termination.reduction_factor: must be >= 2"],
            spec.Validate(10, "val_loss").Select(e => e.ToString()));
        Assert.Empty(new EarlyTerminationSpec(EarlyTerminationType.Median).Validate(3, "val_loss"));
        Assert.Equal(
            "early_termination.warmup_epochs: median stopping needs trials of at least 2 epochs (they run 1)",
            Assert.Single(new EarlyTerminationSpec(EarlyTerminationType.Median) { WarmupEpochs = 0 }.Validate(1, "val_loss")).ToString());
    }
}
