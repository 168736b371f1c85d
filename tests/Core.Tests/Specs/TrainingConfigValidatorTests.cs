using Experiments.Core.Queue;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary>A typed config (a claimed trial's, <c>train</c>'s) is judged by the rules sweep files are read by.</summary>
public sealed class TrainingConfigValidatorTests
{
    public static TheoryData<string, string> Unrunnable => new()
    {
        // Records an older version accepted and the trainer cannot run.
        { """{"batch_size":1}""", "batch_size: must be between 2 and 2147483647" },
        { """{"validation_size":0}""", "validation_size: must be between 1 and 59998" },
        { """{"init_from":"a.b"}""", "init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { """{"dataset":"synthetic","synthetic_size":700000}""", "synthetic_size: must be between 16 and 291271" },
        { """{"epochs":3,"warmup_epochs":3}""", "warmup_epochs: must be < epochs (a trial has warmup_epochs 3 and epochs 3)" },
        { """{"validation_size":49999}""", "validation_size: must be <= 49998: cifar10 has 50000 training images and at least 2 must remain to train on" },
        { """{"lr":"NaN"}""", "lr: must be a finite number" },
        { """{"momentum":1}""", "momentum: must be >= 0 and < 1" },
        // JSON enums also read as numbers; one that names no member is no choice at all.
        { """{"optimizer":7}""", "optimizer: must be one of adam, adamw, sgd" },
    };

    [Theory]
    [MemberData(nameof(Unrunnable))]
    public void AStoredConfigTheTrainerCannotRunIsRefusedNamingItsField(string json, string expected)
    {
        var config = RecordJson.Deserialize<TrainingConfig>(json);

        var errors = TrainingConfigValidator.Check(config, SweepLimits.Unlimited).Select(e => e.ToString());

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void DefaultsAndAdmissionLimitsAreHonoured()
    {
        Assert.Empty(TrainingConfigValidator.Check(new TrainingConfig(), new SweepLimits()));
        Assert.Equal(
            ["base.epochs: must be between 1 and 500"],
            TrainingConfigValidator.Check(new TrainingConfig { Epochs = 600 }, new SweepLimits(), "base").Select(e => e.ToString()));
        Assert.Empty(TrainingConfigValidator.Check(new TrainingConfig { Epochs = 600 }, SweepLimits.Unlimited));
    }
}
