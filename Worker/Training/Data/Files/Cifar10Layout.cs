namespace Experiments.Worker.Training.Data.Files;

/// <summary>The official CIFAR-10 binary release: archive, folder and file names, record layout, checksum.</summary>
internal static class Cifar10Layout
{
    public static readonly Uri ArchiveUrl = new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public const string ArchiveName = "cifar-10-binary.tar.gz";
    public const string FolderName = "cifar-10-batches-bin";
    public const string MetaFileName = "batches.meta.txt";
    public const int RecordsPerBatch = 10_000;

    public const int Channels = 3;
    public const int Height = 32;
    public const int Width = 32;
    public const int ImageBytes = Channels * Height * Width;

    /// <summary>One label byte, then the red, green and blue 32x32 planes: already C x H x W.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    public static readonly string[] TrainBatches = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public const string TestBatch = "test_batch.bin";
    public static readonly string[] BatchFiles = [.. TrainBatches, TestBatch];

    public static readonly string[] StandardClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
}
