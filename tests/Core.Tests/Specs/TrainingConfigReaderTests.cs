using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary><c>train</c>'s file: a bare config or a sweep's base, read by the sweep reader and rules.</summary>
public sealed class TrainingConfigReaderTests
{
    private static TrainingConfig Read(string text) => TrainingConfigReader.Read(text, new SweepLimits());

    private static IReadOnlyList<string> Rejects(string text) =>
        [.. Assert.Throws<SweepSpecException>(() => Read(text)).Errors.Select(e => e.ToString())];

    [Fact]
    public void ReadsABareConfigInYaml()
    {
        var config = Read("dataset: synthetic\nweight_decay: 0.05\nwarmup_epochs: 2\nbatch_size: 64\nnesterov: true\ninit_from: base-1\n");

        Assert.Equal(
            new TrainingConfig { Dataset = Dataset.Synthetic, WeightDecay = 0.05, WarmupEpochs = 2, BatchSize = 64, Nesterov = true, InitFrom = "base-1" },
            config);
    }

    [Fact]
    public void ReadsABareConfigInJson()
    {
        var config = Read("""{"optimizer": "sgd", "lr": 0.1, "label_smoothing": 0.1}""");

        Assert.Equal((Optimizer.Sgd, 0.1, 0.1), (config.Optimizer, config.Lr, config.LabelSmoothing));
    }

    [Fact]
    public void TakesTheBaseOfAValidSweep()
    {
        var config = Read("name: s\nmethod: grid\nbase:\n  epochs: 3\n  stem: cifar\nparameters:\n  lr: { values: [0.1, 0.01] }\n");

        Assert.Equal(new TrainingConfig { Epochs = 3, Stem = ResNetStem.Cifar }, config);
    }

    [Fact]
    public void ABareConfigsProblemsAreReportedAtTheirKeys()
    {
        Assert.Equal(
            ["learning_rate: unknown key: not a training setting", "batch_size: must be between 2 and 4096"],
            Rejects("learning_rate: 0.1\nbatch_size: 1\n"));
        Assert.Equal(["warmup_epochs: must be < epochs (a trial has warmup_epochs 4 and epochs 4)"], Rejects("epochs: 4\nwarmup_epochs: 4\n"));
    }

    [Fact]
    public void ASweepsProblemsAreReportedAtTheirSweepPaths()
    {
        Assert.Equal(["parameters.lr.values[1]: must be > 0"], Rejects("name: s\nmethod: grid\nparameters:\n  lr: { values: [0.1, 0] }\n"));
        // Every trial varies epochs past the warmup, but the base alone could not run.
        Assert.Equal(
            ["base.warmup_epochs: must be < epochs (a trial has warmup_epochs 2 and epochs 2)"],
            Rejects("name: s\nmethod: grid\nbase: { epochs: 2, warmup_epochs: 2 }\nparameters:\n  epochs: { values: [3, 4] }\n"));
    }

    [Fact]
    public void AnEmptyOrNonMappingFileIsADocumentError()
    {
        Assert.Equal(["document: is empty"], Rejects("  \n"));
        Assert.Equal(["document: must be a mapping, got a list"], Rejects("- epochs: 3\n"));
    }
}
