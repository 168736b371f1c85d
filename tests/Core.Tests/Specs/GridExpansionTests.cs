using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class GridExpansionTests
{
    [Fact]
    public void GridRunsTheCartesianProductOfAllValues()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("""
            parameters:
              optimizer: { values: [adam, sgd] }
              lr: { values: [0.1, 0.01, 0.001] }
              scheduler: { values: [none, cosine] }
              weight_decay: { value: 0.0005 }
            """));

        Assert.Equal(12, plan.Trials.Count);
        Assert.Equal(12, plan.Trials.Select(t => t.Config).Distinct().Count());
        Assert.All(plan.Trials, t => Assert.Equal(0.0005, t.Config.WeightDecay));
    }

    [Fact]
    public void GridVariesTheFirstParameterSlowest()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("""
            parameters:
              optimizer: { values: [adam, sgd] }
              lr: { values: [0.1, 0.01] }
            """));

        Assert.Equal(
            ["adam/0.1", "adam/0.01", "sgd/0.1", "sgd/0.01"],
            plan.Trials.Select(t => $"{t.Parameters["optimizer"]}/{t.Parameters["lr"]}"));
    }

    [Fact]
    public void GridWithoutParametersIsOneTrialOfTheBase()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("base: { epochs: 3 }\n"));

        var trial = Assert.Single(plan.Trials);
        Assert.Equal(new TrainingConfig { Epochs = 3 }, trial.Config);
        Assert.Empty(trial.Parameters);
    }

    [Fact]
    public void ParametersHoldOnlyWhatTheSweepVariedFormattedInvariantly()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var plan = SpecAssert.Parses(SpecAssert.Grid("""
                parameters:
                  lr: { values: [0.0025] }
                  nesterov: { values: [true] }
                  momentum: { value: 0.5 }
                """));

            var parameters = Assert.Single(plan.Trials).Parameters;
            Assert.Equal(["lr", "nesterov"], parameters.Keys);
            Assert.Equal("0.0025", parameters["lr"]);
            Assert.Equal("true", parameters["nesterov"]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void SeedsMultiplyEveryConfigurationAndShowAsAParameter()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("""
            seeds: [0, 1, 2]
            parameters:
              optimizer: { values: [adam, sgd] }
            """));

        Assert.Equal(6, plan.Trials.Count);
        Assert.Equal([0, 1, 2, 0, 1, 2], plan.Trials.Select(t => t.Config.Seed));
        Assert.Equal(["adam", "adam", "adam", "sgd", "sgd", "sgd"], plan.Trials.Select(t => t.Parameters["optimizer"]));
        Assert.Equal(["0", "1", "2", "0", "1", "2"], plan.Trials.Select(t => t.Parameters["seed"]));
    }

    [Fact]
    public void SingleSeedDefaultsToTheBaseSeedAndIsNotShown()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("""
            base: { seed: 42 }
            parameters:
              optimizer: { values: [adam, sgd] }
            """));

        Assert.All(plan.Trials, t => Assert.Equal(42, t.Config.Seed));
        Assert.All(plan.Trials, t => Assert.False(t.Parameters.ContainsKey("seed")));
    }

    [Fact]
    public void IdenticalConfigurationsRunOnceKeepingTheFirst()
    {
        // 1e-3 and 0.001 are the same rate; a value equal to the base is the same config too.
        var plan = SpecAssert.Parses(SpecAssert.Grid("""
            parameters:
              lr: { values: [0.001, 1e-3, 0.01, 0.001] }
              optimizer: { values: [adam, adam] }
            """));

        Assert.Equal(["0.001", "0.01"], plan.Trials.Select(t => t.Parameters["lr"]));
    }

    [Fact]
    public void EveryKindOfSettingCanBeSwept()
    {
        var plan = SpecAssert.Parses(SpecAssert.Grid("""
            parameters:
              dataset: { values: [fashion_mnist] }
              device: { values: [cpu, "cuda:1"] }
              init_from: { values: [null, resnet34-imagenet_v1] }
              label_smoothing: { values: [0.1] }
              gamma: { values: [0.5] }
            """));

        Assert.Equal(4, plan.Trials.Count);
        Assert.Equal(["cpu", "cpu", "cuda:1", "cuda:1"], plan.Trials.Select(t => t.Config.Device.ToString()));
        Assert.Equal([null, "resnet34-imagenet_v1", null, "resnet34-imagenet_v1"], plan.Trials.Select(t => t.Config.InitFrom));
        Assert.Equal("null", plan.Trials[0].Parameters["init_from"]);
    }

    [Fact]
    public void PlanCarriesNameMethodMetricAndSourceText()
    {
        var text = "name: lr-grid\nmethod: grid\nmetric: { name: val_loss, goal: minimize }\n";

        var plan = SpecAssert.Parses(text);

        Assert.Equal("lr-grid", plan.Name);
        Assert.Equal("grid", plan.Method);
        Assert.Equal(new SweepMetric("val_loss", "minimize"), plan.Metric);
        Assert.Equal(text, plan.SourceText);
    }

    [Fact]
    public void MetricDefaultsToValidationAccuracyMaximized()
    {
        Assert.Equal(new SweepMetric("val_accuracy", "maximize"), SpecAssert.Parses(SpecAssert.Grid("")).Metric);
    }
}
