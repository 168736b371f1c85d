using Experiments.Core.Datasets.Files;
using Experiments.Core.Specs;

namespace Experiments.Core.Datasets;

/// <summary>
/// Reads one part of a trial's data set as it is already on disk, to look at it: never downloads, extracts or writes,
/// so a reader (the Dashboard) can share the workers' data folder. Synthetic data is generated from the config (its
/// seed and size), the same bytes the trial trained on.
/// </summary>
public static class StoredImages
{
    public static async Task<RawImageSet> ReadAsync(TrainingConfig config, DatasetPart part, DataOptions options, CancellationToken cancellationToken)
    {
        switch (config.Dataset)
        {
            case Dataset.Synthetic:
                var synthetic = SyntheticDataset.Create(DatasetCatalog.Split(config), config.Seed);
                return part == DatasetPart.Test ? synthetic.Test : synthetic.Train;
            case Dataset.Cifar10:
                var folder = Path.Combine(Path.GetFullPath(options.Root), Cifar10Layout.FolderName);
                if (!File.Exists(Path.Combine(folder, part == DatasetPart.Test ? Cifar10Layout.TestBatch : Cifar10Layout.TrainBatches[^1])))
                    throw NotYetLoaded("CIFAR-10");
                var classNames = await Cifar10BatchFile.ReadClassNamesAsync(folder, cancellationToken);
                string[] batches = part == DatasetPart.Test ? [Cifar10Layout.TestBatch] : Cifar10Layout.TrainBatches;
                return await Cifar10BatchFile.ReadAsync(folder, batches, options.Cifar10RecordsPerBatch, classNames, cancellationToken);
            case Dataset.FashionMnist:
                var local = Path.Combine(Path.GetFullPath(options.Root), FashionMnistLayout.FolderName);
                var files = options.FashionMnistSystemFolders.Prepend(local).Select(FashionMnistFolder.Locate).FirstOrDefault(found => found is not null)
                    ?? throw NotYetLoaded("Fashion-MNIST");
                return part == DatasetPart.Test
                    ? await FashionMnistImages.ReadAsync(files[FashionMnistLayout.TestImages], files[FashionMnistLayout.TestLabels], cancellationToken)
                    : await FashionMnistImages.ReadAsync(files[FashionMnistLayout.TrainImages], files[FashionMnistLayout.TrainLabels], cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(config), config.Dataset, "not a data set");
        }
    }

    // No server path in the message: it reaches API callers.
    private static DataSetUnavailableException NotYetLoaded(string name) =>
        new($"{name} is not in the data folder (Data:Root) yet: a worker downloads it with the first trial that uses it.");
}
