namespace Experiments.Core.Specs;

/// <summary>
/// Rules that tie one setting to another (warmup shorter than training, a validation split smaller than
/// the training set). Checked on every expanded trial, so they hold whichever way the values were combined.
/// </summary>
internal static class ConfigConsistency
{
    // Training images before the validation split (CIFAR-10's 50k, Fashion-MNIST's 60k); synthetic makes its own split.
    private static readonly Dictionary<string, int> TrainingImages = new(StringComparer.Ordinal)
    {
        ["cifar10"] = 50_000,
        ["fashion_mnist"] = 60_000,
    };

    /// <summary>Each violated rule as (field, message), the field being the one to change.</summary>
    public static IEnumerable<(string Field, string Message)> Violations(TrainingConfig config)
    {
        if (config.WarmupEpochs >= config.Epochs)
        {
            yield return ("warmup_epochs", $"must be < epochs (a trial has warmup_epochs {config.WarmupEpochs} and epochs {config.Epochs})");
        }

        if (TrainingImages.TryGetValue(config.Dataset, out var images) && config.ValidationSize >= images)
        {
            yield return ("validation_size", $"must be < {images}, the training images of {config.Dataset}");
        }
    }
}
