using System.Globalization;
using Experiments.Core.Datasets;

namespace Experiments.Core.Specs;

/// <summary>
/// Rules that tie one setting to another (warmup shorter than training, a validation split that leaves images to
/// train on). Checked on every expanded trial, so they hold whichever way the values were combined, and on every
/// config a worker or <c>train</c> is given.
/// </summary>
internal static class ConfigConsistency
{
    /// <summary>Each violated rule as (field, message), the field being the one to change.</summary>
    public static IEnumerable<(string Field, string Message)> Violations(TrainingConfig config)
    {
        if (config.WarmupEpochs >= config.Epochs)
        {
            yield return ("warmup_epochs", $"must be < epochs (a trial has warmup_epochs {config.WarmupEpochs} and epochs {config.Epochs})");
        }

        // Synthetic data holds out its own tenth; a real data set's training part must keep a batch's worth of images
        // after validation_size is split off (with fewer than 2 the last-batch-of-one rule leaves nothing to train on).
        if (config.Dataset != Dataset.Synthetic
            && DatasetCatalog.Of(config.Dataset) is { TrainImages: { } trainImages } facts
            && config.ValidationSize > trainImages - DatasetCatalog.MinTrainImages)
        {
            var most = (trainImages - DatasetCatalog.MinTrainImages).ToString(CultureInfo.InvariantCulture);
            yield return ("validation_size", $"must be <= {most}: {facts.Dataset.ToSpelling()} has {trainImages.ToString(CultureInfo.InvariantCulture)} training images and at least {DatasetCatalog.MinTrainImages} must remain to train on");
        }
    }
}
