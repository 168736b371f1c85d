using Experiments.Core.Datasets;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Data;
using Experiments.Core.Datasets.Files;

namespace Experiments.Worker.Tests.Data;

public sealed class FashionMnistFilesTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly TempFolder _system = new();

    private DataOptions Options => new() { Root = _root.Path, AllowDownload = false, FashionMnistSystemFolders = [_system.Path] };

    private string LocalFolder => _root.Combine("fashion-mnist");

    [Fact]
    public async Task ReadsGzipAndPlainIdxFiles()
    {
        IdxTestFiles.Write(LocalFolder, new Dictionary<string, byte[]>
        {
            ["train-images-idx3-ubyte.gz"] = IdxTestFiles.Gzip(IdxTestFiles.Images(5)),
            ["train-labels-idx1-ubyte"] = IdxTestFiles.Labels(5),
            ["t10k-images-idx3-ubyte"] = IdxTestFiles.Images(2),
            ["t10k-labels-idx1-ubyte.gz"] = IdxTestFiles.Gzip(IdxTestFiles.Labels(2)),
        });

        var data = await FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None);

        Assert.Equal("fashion-mnist", data.Name);
        Assert.Equal((5, 2), (data.Train.Count, data.Test.Count));
        Assert.Equal((1, 28, 28), (data.Train.Channels, data.Train.Height, data.Train.Width));
        Assert.Equal(5 * 784, data.Train.Pixels.Length);
        Assert.Equal(Enumerable.Range(0, 5).Select(image => (long)IdxTestFiles.Label(image)), data.Train.Labels);
        Assert.Equal(IdxTestFiles.Pixel(4, 27 * 28 + 3), data.Train.Pixels[4 * 784 + 27 * 28 + 3]);
        Assert.Equal(IdxTestFiles.Pixel(1, 100), data.Test.Pixels[784 + 100]);
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], data.Test.ClassNames);
    }

    [Fact]
    public async Task WrongMagicNumberFailsNamingTheFile()
    {
        var files = IdxTestFiles.GzipSet(3, 2);
        files["t10k-images-idx3-ubyte.gz"] = IdxTestFiles.Gzip(IdxTestFiles.Labels(2));
        IdxTestFiles.Write(LocalFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None));

        Assert.Equal($"The file {Path.Combine(LocalFolder, "t10k-images-idx3-ubyte.gz")} is not an IDX image file: magic number 0x00000801, expected 0x00000803.", error.Message);
    }

    [Fact]
    public async Task ImageFileShorterThanItsHeaderDeclaresFails()
    {
        var files = IdxTestFiles.GzipSet(3, 2);
        files["train-images-idx3-ubyte.gz"] = IdxTestFiles.Gzip(IdxTestFiles.Images(2, declaredCount: 3));
        IdxTestFiles.Write(LocalFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("train-images-idx3-ubyte.gz is truncated: its header declares 3 images of 28x28 (2352 bytes) but only 1568 bytes follow", error.Message);
    }

    [Fact]
    public async Task DamagedGzipFailsNamingTheFile()
    {
        var files = IdxTestFiles.GzipSet(3, 2);
        var damaged = files["train-labels-idx1-ubyte.gz"];
        damaged[12] ^= 0xff;
        damaged[13] ^= 0xff;
        IdxTestFiles.Write(LocalFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("train-labels-idx1-ubyte.gz", error.Message);
    }

    [Fact]
    public async Task LabelCountDifferentFromImageCountFails()
    {
        var files = IdxTestFiles.GzipSet(3, 2);
        files["train-labels-idx1-ubyte.gz"] = IdxTestFiles.Gzip(IdxTestFiles.Labels(4));
        IdxTestFiles.Write(LocalFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("train-labels-idx1-ubyte.gz holds 4 labels but", error.Message);
    }

    [Fact]
    public async Task ImagesOfAnotherSizeFail()
    {
        var files = IdxTestFiles.GzipSet(3, 2);
        files["t10k-images-idx3-ubyte.gz"] = IdxTestFiles.Gzip(IdxTestFiles.Images(2, rows: 32, columns: 32));
        IdxTestFiles.Write(LocalFolder, files);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("holds 32x32 images, expected 28x28", error.Message);
    }

    [Fact]
    public async Task DataRootComesBeforeTheSystemFolder()
    {
        IdxTestFiles.Write(LocalFolder, IdxTestFiles.GzipSet(3, 2));
        IdxTestFiles.Write(_system.Path, IdxTestFiles.GzipSet(4, 1));

        var data = await FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None);

        Assert.Equal((3, 2), (data.Train.Count, data.Test.Count));
    }

    [Fact]
    public async Task SystemFolderIsUsedWhenTheDataRootLacksAFile()
    {
        var incomplete = IdxTestFiles.GzipSet(3, 2);
        incomplete.Remove("t10k-labels-idx1-ubyte.gz");
        IdxTestFiles.Write(LocalFolder, incomplete);
        IdxTestFiles.Write(_system.Path, IdxTestFiles.GzipSet(4, 1));

        var data = await FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None);

        Assert.Equal((4, 1), (data.Train.Count, data.Test.Count));
    }

    [Fact]
    public async Task DownloadsVerifiedFilesIntoTheDataRoot()
    {
        var files = IdxTestFiles.GzipSet(6, 3);
        await using var server = new LoopbackFileServer(files.ToDictionary(file => "data/" + file.Key, file => file.Value));
        var options = DownloadOptions(new Uri(server.BaseUrl, "data"), files);
        var progress = new RecordingProgress();

        var data = await FashionMnistFiles.LoadAsync(options, progress, CancellationToken.None);

        Assert.Equal((6, 3), (data.Train.Count, data.Test.Count));
        Assert.Equal(4, server.RequestCount);
        Assert.Contains(progress.Reports, report => report.StartsWith("Downloading t10k-labels-idx1-ubyte.gz: 100% (", StringComparison.Ordinal));
        Assert.Equal(files.Keys.Select(name => Path.Combine("fashion-mnist", name)).Prepend("fashion-mnist").Order(), _root.Entries());
    }

    [Fact]
    public async Task DownloadFetchesOnlyTheMissingFiles()
    {
        var files = IdxTestFiles.GzipSet(6, 3);
        IdxTestFiles.Write(LocalFolder, files.Where(file => file.Key != "train-images-idx3-ubyte.gz").ToDictionary());
        await using var server = new LoopbackFileServer(files);

        var data = await FashionMnistFiles.LoadAsync(DownloadOptions(server.BaseUrl, files), null, CancellationToken.None);

        Assert.Equal(6, data.Train.Count);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task ChecksumMismatchLeavesNothingBehindAndSaysSo()
    {
        var files = IdxTestFiles.GzipSet(6, 3);
        await using var server = new LoopbackFileServer(files);
        var options = DownloadOptions(server.BaseUrl, files);
        options.FashionMnistMd5 = new Dictionary<string, string>(options.FashionMnistMd5) { ["t10k-images-idx3-ubyte.gz"] = new string('a', 32) };

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => FashionMnistFiles.LoadAsync(options, null, CancellationToken.None));

        Assert.Contains("checksum mismatch", error.Message);
        // The two files before it arrived and were verified, yet nothing is kept: all four or none.
        Assert.Equal(3, server.RequestCount);
        Assert.Empty(_root.Entries());
    }

    [Fact]
    public async Task FailedDownloadSaysWhichFilesToPutWhere()
    {
        var url = LoopbackFileServer.RefusingUrl("");
        var options = DownloadOptions(url, IdxTestFiles.GzipSet(1, 1));

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => FashionMnistFiles.LoadAsync(options, null, CancellationToken.None));

        Assert.EndsWith(
            $"Put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (from {url}) in {LocalFolder}/, "
            + "or install Debian's package (apt-get install dataset-fashion-mnist)",
            error.Message);
        Assert.Contains($"is not in {LocalFolder}/, {_system.Path}/ and downloading failed", error.Message);
        Assert.Empty(_root.Entries());
    }

    [Fact]
    public async Task DisabledDownloadSaysWhichFilesToPutWhere()
    {
        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => FashionMnistFiles.LoadAsync(Options, null, CancellationToken.None));

        Assert.Contains("downloading is disabled", error.Message);
        Assert.Contains($"(from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/) in {LocalFolder}/", error.Message);
        Assert.Empty(_root.Entries());
    }

    [RequiresFashionMnistFact]
    public async Task LoadsTheRealFashionMnistFromTheDebianPackage()
    {
        var options = new DataOptions { Root = _root.Path, AllowDownload = false, FashionMnistSystemFolders = [RequiresFashionMnistFactAttribute.Folder] };

        var data = await FashionMnistFiles.LoadAsync(options, null, CancellationToken.None);

        Assert.Equal((60_000, 10_000), (data.Train.Count, data.Test.Count));
        Assert.Equal(60_000 * 784, data.Train.Pixels.Length);
        // The published split is balanced: 6,000 and 1,000 images of each class.
        Assert.All(data.Train.Labels.CountBy(label => label), pair => Assert.Equal(6_000, pair.Value));
        Assert.All(data.Test.Labels.CountBy(label => label), pair => Assert.Equal(1_000, pair.Value));
        Assert.Equal(10, data.Test.Labels.Distinct().Count());
        Assert.Equal(9, data.Train.Labels[0]); // The first training image is an ankle boot.
    }

    [RequiresFashionMnistFact]
    public async Task TheRealFilesMatchTheCatalogsFacts()
    {
        var facts = DatasetCatalog.Of(Dataset.FashionMnist);
        var options = new DataOptions { Root = _root.Path, AllowDownload = false, FashionMnistSystemFolders = [RequiresFashionMnistFactAttribute.Folder] };

        var data = await FashionMnistFiles.LoadAsync(options, null, CancellationToken.None);
        using var splits = DataSplits.Create(data, validationSize: 0, seed: 0, TorchSharp.torch.CPU);

        Assert.Equal((facts.TrainImages, facts.TestImages), (data.Train.Count, data.Test.Count));
        Assert.Equal(facts.Shape, new ImageShape(data.Train.Channels, data.Train.Height, data.Train.Width));
        Assert.Equal(facts.ClassNames, data.Train.ClassNames);
        // The trainer's exact statistics of the whole training part agree with the published ones.
        Assert.Equal(facts.ChannelMean![0], splits.Mean.data<float>()[0], 3);
        Assert.Equal(facts.ChannelStd![0], splits.Std.data<float>()[0], 3);
    }

    private DataOptions DownloadOptions(Uri baseUrl, IReadOnlyDictionary<string, byte[]> files) => new()
    {
        Root = _root.Path,
        FashionMnistSystemFolders = [_system.Path],
        FashionMnistBaseUrl = baseUrl,
        FashionMnistMd5 = files.ToDictionary(file => file.Key, file => Cifar10TestFiles.Md5(file.Value)),
    };

    public void Dispose()
    {
        _root.Dispose();
        _system.Dispose();
    }
}
