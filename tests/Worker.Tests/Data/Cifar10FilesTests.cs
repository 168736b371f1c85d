using Experiments.Core.Datasets;

namespace Experiments.Worker.Tests.Data;

public sealed class Cifar10FilesTests : IDisposable
{
    private const int RecordsPerBatch = 3;
    private readonly TempFolder _root = new();

    private DataOptions Options => new() { Root = _root.Path, AllowDownload = false, Cifar10RecordsPerBatch = RecordsPerBatch };

    private string BatchFolder => _root.Combine("cifar-10-batches-bin");

    [Fact]
    public async Task ReadsRecordsAsLabelThenRedGreenBluePlanes()
    {
        Cifar10TestFiles.WriteFolder(BatchFolder, Cifar10TestFiles.Folder(RecordsPerBatch));

        var data = await Cifar10Files.LoadAsync(Options, null, CancellationToken.None);

        Assert.Equal("cifar10", data.Name);
        Assert.Equal(5 * RecordsPerBatch, data.Train.Count);
        Assert.Equal(RecordsPerBatch, data.Test.Count);
        Assert.Equal((3, 32, 32), (data.Train.Channels, data.Train.Height, data.Train.Width));
        Assert.Equal(5 * RecordsPerBatch * 3072, data.Train.Pixels.Length);
        Assert.Equal(Cifar10TestFiles.MetaNames, data.Train.ClassNames);
        AssertImage(data.Train, image: 7, sourceIndex: 7);
        AssertImage(data.Train, image: 5 * RecordsPerBatch - 1, sourceIndex: 5 * RecordsPerBatch - 1);
        AssertImage(data.Test, image: 1, sourceIndex: 5 * RecordsPerBatch + 1);
    }

    [Fact]
    public async Task FallsBackToTheStandardClassNamesWithoutMetaFile()
    {
        Cifar10TestFiles.WriteFolder(BatchFolder, Cifar10TestFiles.Folder(RecordsPerBatch, withMeta: false));

        var data = await Cifar10Files.LoadAsync(Options, null, CancellationToken.None);

        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], data.Test.ClassNames);
    }

    [Fact]
    public async Task TruncatedBatchFailsNamingTheFileAndWhatIsWrong()
    {
        var files = Cifar10TestFiles.Folder(RecordsPerBatch);
        files["data_batch_3.bin"] = files["data_batch_3.bin"][..^100];
        Cifar10TestFiles.WriteFolder(BatchFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10Files.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains(Path.Combine(BatchFolder, "data_batch_3.bin"), error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("cut-off", error.Message);
    }

    [Fact]
    public async Task BatchWithFewerRecordsThanExpectedFails()
    {
        // A batch cut at a record boundary is still wrong: every official batch holds exactly the same number of records.
        var files = Cifar10TestFiles.Folder(RecordsPerBatch);
        files["test_batch.bin"] = Cifar10TestFiles.Batch(0, RecordsPerBatch - 1);
        Cifar10TestFiles.WriteFolder(BatchFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10Files.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("test_batch.bin is truncated", error.Message);
    }

    [Fact]
    public async Task LabelOutsideTheTenClassesFailsNamingTheFile()
    {
        var files = Cifar10TestFiles.Folder(RecordsPerBatch);
        files["data_batch_2.bin"][Cifar10TestFiles.RecordBytes] = 10;
        Cifar10TestFiles.WriteFolder(BatchFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10Files.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("data_batch_2.bin is corrupt: record 1 has label 10", error.Message);
    }

    [Fact]
    public async Task MissingBatchFailsNamingTheFile()
    {
        var files = Cifar10TestFiles.Folder(RecordsPerBatch);
        files.Remove("data_batch_4.bin");
        Cifar10TestFiles.WriteFolder(BatchFolder, files);

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Cifar10Files.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains(Path.Combine(BatchFolder, "data_batch_4.bin"), error.Message);
    }

    private static void AssertImage(RawImageSet set, int image, int sourceIndex)
    {
        Assert.Equal(Cifar10TestFiles.Label(sourceIndex), set.Labels[image]);
        foreach (var (channel, row, column) in new[] { (0, 0, 0), (1, 5, 9), (2, 31, 31) })
        {
            var offset = image * 3072 + channel * 1024 + row * 32 + column;
            Assert.Equal(Cifar10TestFiles.Pixel(sourceIndex, channel, row * 32 + column), set.Pixels[offset]);
        }
    }

    public void Dispose() => _root.Dispose();
}
