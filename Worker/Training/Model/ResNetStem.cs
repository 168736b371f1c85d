namespace Experiments.Worker.Training.Model;

/// <summary>The first layers: the notebook's ImageNet stem, or the CIFAR variant that keeps 32x32 resolution.</summary>
public enum ResNetStem
{
    /// <summary>conv 7x7 stride 2 padding 3 + BN + ReLU + max-pool 3x3 stride 2 (torchvision, the notebook).</summary>
    ImageNet,

    /// <summary>conv 3x3 stride 1 padding 1 + BN + ReLU, no pool.</summary>
    Cifar,
}

internal static class ResNetStems
{
    public static ResNetStem Parse(string name) => name switch
    {
        "imagenet" => ResNetStem.ImageNet,
        "cifar" => ResNetStem.Cifar,
        _ => throw new ArgumentException($"Unknown stem '{name}' (imagenet or cifar).", nameof(name)),
    };
}
