namespace Experiments.Core.Specs;

/// <summary>
/// One trial's complete training recipe. A sweep's <c>base:</c> and every <c>parameters:</c> key use these
/// names in snake_case (<c>weight_decay</c>, <c>warmup_epochs</c>); defaults reproduce the seed notebook.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary><c>cifar10</c>, <c>fashion_mnist</c> or <c>synthetic</c>.</summary>
    public string Dataset { get; init; } = "cifar10";

    /// <summary>Training images generated for <c>synthetic</c> (validation and test are a tenth of it each).</summary>
    public int SyntheticSize { get; init; } = 512;

    /// <summary>Images held out of the training set for validation (the notebook's 45k/5k split).</summary>
    public int ValidationSize { get; init; } = 5000;

    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;

    /// <summary><c>adam</c>, <c>adamw</c> or <c>sgd</c>.</summary>
    public string Optimizer { get; init; } = "adam";
    public double Lr { get; init; } = 1e-3;
    public double WeightDecay { get; init; }
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    public double LabelSmoothing { get; init; }

    /// <summary><c>none</c>, <c>step</c>, <c>cosine</c> or <c>onecycle</c>.</summary>
    public string Scheduler { get; init; } = "none";
    public int StepSize { get; init; } = 5;
    public double Gamma { get; init; } = 0.1;
    public int WarmupEpochs { get; init; }

    /// <summary><c>none</c>, <c>flip</c>, <c>crop</c> or <c>crop_flip</c> (random 4-pixel-padded crop + per-image flip).</summary>
    public string Augmentation { get; init; } = "none";

    /// <summary><c>imagenet</c> (7x7 stride 2 + max-pool, the notebook's) or <c>cifar</c> (3x3 stride 1, no pool).</summary>
    public string Stem { get; init; } = "imagenet";

    /// <summary><c>last</c>, <c>best</c> or <c>best_last</c>: which checkpoints are kept.</summary>
    public string Checkpoint { get; init; } = "last";

    /// <summary><c>auto</c> (the worker's device), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    public int Seed { get; init; }

    /// <summary>A checkpoint id to start from (e.g. converted torchvision weights placed under the data root).</summary>
    public string? InitFrom { get; init; }
}
