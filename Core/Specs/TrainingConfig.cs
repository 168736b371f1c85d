namespace Experiments.Core.Specs;

/// <summary>
/// One trial's complete training recipe. A sweep's <c>base:</c> and every <c>parameters:</c> key use these
/// names in snake_case (<c>weight_decay</c>, <c>warmup_epochs</c>); defaults reproduce the seed notebook. What each
/// setting accepts is in <see cref="TrainingConfigFields"/>; <see cref="TrainingConfigValidator"/> checks a whole config.
/// </summary>
public sealed record TrainingConfig
{
    public Dataset Dataset { get; init; } = Dataset.Cifar10;

    /// <summary>Training images generated for <c>synthetic</c> (validation and test are a tenth of it each).</summary>
    public int SyntheticSize { get; init; } = 512;

    /// <summary>Images held out of the training set for validation (the notebook's 45k/5k split); synthetic holds out a tenth instead.</summary>
    public int ValidationSize { get; init; } = 5000;

    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;

    public Optimizer Optimizer { get; init; } = Optimizer.Adam;
    public double Lr { get; init; } = 1e-3;
    public double WeightDecay { get; init; }
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    public double LabelSmoothing { get; init; }

    public Scheduler Scheduler { get; init; } = Scheduler.None;
    public int StepSize { get; init; } = 5;
    public double Gamma { get; init; } = 0.1;
    public int WarmupEpochs { get; init; }

    public Augmentation Augmentation { get; init; } = Augmentation.None;

    public ResNetStem Stem { get; init; } = ResNetStem.ImageNet;

    public KeptCheckpoints Checkpoint { get; init; } = KeptCheckpoints.Last;

    public TrainingDevice Device { get; init; } = TrainingDevice.Auto;

    public Precision Precision { get; init; } = Precision.Fp32;

    public int Seed { get; init; }

    /// <summary>A checkpoint id to start from: a PyTorch state dict in the checkpoint root's <c>imports/</c>, or a trial's checkpoint.</summary>
    public string? InitFrom { get; init; }

    /// <summary>How the fresh model's weights are drawn; <c>torchvision</c> (the default) is what records without it used.</summary>
    public WeightInit Init { get; init; } = WeightInit.Torchvision;

    // Settings added later go here, each with its enum in
    // TrainingChoices.cs and its entry in TrainingConfigFields: that entry is what sweep files, records and the
    // validator know it by.
}
