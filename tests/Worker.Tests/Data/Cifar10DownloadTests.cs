using Experiments.Core.Datasets;
using Experiments.Core.Datasets.Files;

namespace Experiments.Worker.Tests.Data;

public sealed class Cifar10DownloadTests : IDisposable
{
    private const string ArchiveName = "cifar-10-binary.tar.gz";
    private const int RecordsPerBatch = 2;
    private readonly TempFolder _root = new();
    private readonly byte[] _archive = Cifar10TestFiles.Archive(Cifar10TestFiles.Folder(RecordsPerBatch));

    private DataOptions OptionsFor(Uri url) => new()
    {
        Root = _root.Path,
        Cifar10Url = url,
        Cifar10ArchiveMd5 = Cifar10TestFiles.Md5(_archive),
        Cifar10RecordsPerBatch = RecordsPerBatch,
    };

    private string PutHere(Uri url) =>
        $"Put {ArchiveName} (from {url}) in {_root.Path}/ or extract it to {_root.Path}/cifar-10-batches-bin/";

    [Fact]
    public async Task DownloadsVerifiesExtractsAndLoadsTheArchive()
    {
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = _archive });
        var progress = new RecordingProgress();

        var data = await Cifar10Files.LoadAsync(OptionsFor(server.UrlOf(ArchiveName)), progress, CancellationToken.None);

        Assert.Equal(5 * RecordsPerBatch, data.Train.Count);
        Assert.Equal(RecordsPerBatch, data.Test.Count);
        Assert.Equal(Cifar10TestFiles.MetaNames, data.Train.ClassNames);
        Assert.Equal(1, server.RequestCount);
        Assert.Contains(progress.Reports, report => report.StartsWith($"Downloading {ArchiveName}: 100% (", StringComparison.Ordinal) && report.EndsWith(" MB)", StringComparison.Ordinal));
        // Only the verified archive and the complete folder remain: no staging or partial files.
        string[] expected = [ArchiveName, "cifar-10-batches-bin", .. Cifar10TestFiles.Folder(1).Keys.Select(name => Path.Combine("cifar-10-batches-bin", name))];
        Assert.Equal(expected.Order(), _root.Entries());
    }

    [Fact]
    public async Task ChecksumMismatchLeavesNothingBehindAndSaysSo()
    {
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = _archive });
        var options = OptionsFor(server.UrlOf(ArchiveName));
        options.Cifar10ArchiveMd5 = new string('0', 32);

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => Cifar10Files.LoadAsync(options, null, CancellationToken.None));

        Assert.Contains($"MD5 {Cifar10TestFiles.Md5(_archive)}, expected {new string('0', 32)} (checksum mismatch", error.Message);
        Assert.EndsWith(PutHere(options.Cifar10Url!), error.Message);
        Assert.Empty(_root.Entries());
    }

    [Fact]
    public async Task RefusedConnectionSaysWhichFileToPutWhere()
    {
        var url = LoopbackFileServer.RefusingUrl(ArchiveName);

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => Cifar10Files.LoadAsync(OptionsFor(url), null, CancellationToken.None));

        Assert.Contains("downloading failed", error.Message);
        Assert.EndsWith(PutHere(url), error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Empty(_root.Entries());
    }

    [Fact]
    public async Task DisabledDownloadSaysWhichFileToPutWhereWithoutAsking()
    {
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = _archive });
        var options = OptionsFor(server.UrlOf(ArchiveName));
        options.AllowDownload = false;

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => Cifar10Files.LoadAsync(options, null, CancellationToken.None));

        Assert.Contains("downloading is disabled", error.Message);
        Assert.EndsWith(PutHere(options.Cifar10Url!), error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task ArchiveInTheRootIsExtractedWithoutDownloading()
    {
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = _archive });
        await File.WriteAllBytesAsync(_root.Combine(ArchiveName), _archive);

        var data = await Cifar10Files.LoadAsync(OptionsFor(server.UrlOf(ArchiveName)), null, CancellationToken.None);

        Assert.Equal(RecordsPerBatch, data.Test.Count);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task DamagedArchiveInTheRootIsRefusedWithoutExtracting()
    {
        await File.WriteAllBytesAsync(_root.Combine(ArchiveName), _archive[..^10]);

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(
            () => Cifar10Files.LoadAsync(OptionsFor(LoopbackFileServer.RefusingUrl(ArchiveName)), null, CancellationToken.None));

        Assert.Contains($"the archive {_root.Combine(ArchiveName)} is damaged or incomplete", error.Message);
        Assert.Equal([ArchiveName], _root.Entries());
    }

    [Fact]
    public async Task ArchiveLackingABatchLeavesNoHalfExtractedFolder()
    {
        var files = Cifar10TestFiles.Folder(RecordsPerBatch);
        files.Remove("test_batch.bin");
        var archive = Cifar10TestFiles.Archive(files);
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = archive });
        var options = OptionsFor(server.UrlOf(ArchiveName));
        options.Cifar10ArchiveMd5 = Cifar10TestFiles.Md5(archive);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10Files.LoadAsync(options, null, CancellationToken.None));

        Assert.Contains("lacks cifar-10-batches-bin/test_batch.bin", error.Message);
        Assert.Equal([ArchiveName], _root.Entries());
    }

    [Fact]
    public async Task CancelledDownloadLeavesNothingBehind()
    {
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = _archive }) { StallAfterHalf = true };
        using var cancellation = new CancellationTokenSource();
        // Cancel once part of the file has arrived, so a partial file exists at that moment.
        var progress = new RecordingProgress(report =>
        {
            if (!report.Contains(": 0%", StringComparison.Ordinal))
                cancellation.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Cifar10Files.LoadAsync(OptionsFor(server.UrlOf(ArchiveName)), progress, cancellation.Token));

        Assert.True(cancellation.IsCancellationRequested);
        Assert.Empty(_root.Entries());
    }

    [Fact]
    public async Task StalledDownloadFailsAndLeavesNothingBehind()
    {
        await using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { [ArchiveName] = _archive }) { StallAfterHalf = true };
        var options = OptionsFor(server.UrlOf(ArchiveName));
        options.DownloadStallTimeout = TimeSpan.FromMilliseconds(300);

        var error = await Assert.ThrowsAsync<DataSetUnavailableException>(() => Cifar10Files.LoadAsync(options, null, CancellationToken.None));

        Assert.Contains("no data from", error.Message);
        Assert.EndsWith(PutHere(options.Cifar10Url!), error.Message);
        Assert.Empty(_root.Entries());
    }

    public void Dispose() => _root.Dispose();
}
