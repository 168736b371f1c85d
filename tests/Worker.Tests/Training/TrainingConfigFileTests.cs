using Experiments.Worker.Training;

namespace Experiments.Worker.Tests.Training;

public sealed class TrainingConfigFileTests
{
    [Fact]
    public void ReadsSnakeCaseYaml()
    {
        var config = TrainingConfigFile.Parse("dataset: synthetic\nweight_decay: 0.05\nwarmup_epochs: 2\nbatch_size: 64\nnesterov: true\ninit_from: base-1\n");
        Assert.Equal("synthetic", config.Dataset);
        Assert.Equal(0.05, config.WeightDecay);
        Assert.Equal(2, config.WarmupEpochs);
        Assert.Equal(64, config.BatchSize);
        Assert.True(config.Nesterov);
        Assert.Equal("base-1", config.InitFrom);
        Assert.Equal("adam", config.Optimizer);
    }

    [Fact]
    public void TakesTheBaseOfASweepFile()
    {
        var config = TrainingConfigFile.Parse("name: s\nmethod: grid\nbase:\n  epochs: 3\n  stem: cifar\nparameters:\n  lr: [0.1, 0.01]\n");
        Assert.Equal(3, config.Epochs);
        Assert.Equal("cifar", config.Stem);
    }

    [Fact]
    public void ReadsJson()
    {
        var config = TrainingConfigFile.Parse("{\"optimizer\": \"sgd\", \"lr\": 0.1, \"label_smoothing\": 0.1}");
        Assert.Equal("sgd", config.Optimizer);
        Assert.Equal(0.1, config.LabelSmoothing);
    }

    [Fact]
    public void RejectsUnknownKeys() =>
        Assert.ThrowsAny<Exception>(() => TrainingConfigFile.Parse("learning_rate: 0.1\n"));
}
