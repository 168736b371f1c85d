using Experiments.Core.Specs;

namespace Experiments.Core.Datasets;

/// <summary>Loads a trial's <c>dataset</c>; the facts about each (sizes, shapes, classes) are in the Core <see cref="DatasetCatalog"/>.</summary>
public static class DatasetLoader
{
    public static Task<RawDataset> LoadAsync(TrainingConfig config, DataOptions options, IProgress<string>? progress, CancellationToken cancellationToken) =>
        config.Dataset switch
        {
            Dataset.Cifar10 => Cifar10Files.LoadAsync(options, progress, cancellationToken),
            Dataset.FashionMnist => FashionMnistFiles.LoadAsync(options, progress, cancellationToken),
            Dataset.Synthetic => Task.FromResult(SyntheticDataset.Create(DatasetCatalog.Split(config), config.Seed)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Dataset, "not a data set"),
        };
}
