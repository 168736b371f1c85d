using Experiments.Core.Specs;

namespace Experiments.Core.Datasets.Files;

/// <summary>The official CIFAR-10 binary release: archive, folder and file names, record layout, checksum (image facts from the catalog).</summary>
internal static class Cifar10Layout
{
    public static readonly Uri ArchiveUrl = new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public const string ArchiveName = "cifar-10-binary.tar.gz";
    public const string FolderName = "cifar-10-batches-bin";
    public const string MetaFileName = "batches.meta.txt";
    public const int RecordsPerBatch = 10_000;

    public static ImageShape Shape { get; } = DatasetCatalog.Of(Dataset.Cifar10).Shape;

    /// <summary>One label byte, then the red, green and blue 32x32 planes: already C x H x W.</summary>
    public static int RecordBytes { get; } = 1 + Shape.Bytes;

    public static readonly string[] TrainBatches = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public const string TestBatch = "test_batch.bin";
    public static readonly string[] BatchFiles = [.. TrainBatches, TestBatch];

    public static IReadOnlyList<string> StandardClassNames { get; } = DatasetCatalog.Of(Dataset.Cifar10).ClassNames;
}
