using Experiments.Core.Datasets.Files;

namespace Experiments.Core.Datasets;

/// <summary>CIFAR-10 (binary version) from <c>&lt;root&gt;/cifar-10-batches-bin/</c>, downloaded and verified when missing.</summary>
public static class Cifar10Files
{
    public static async Task<RawDataset> LoadAsync(DataOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Root);
        var folder = Path.Combine(root, Cifar10Layout.FolderName);
        if (!Directory.Exists(folder))
            await ExtractArchiveAsync(options, root, folder, progress, cancellationToken);

        progress?.Report($"Reading CIFAR-10 from {folder}");
        var classNames = await Cifar10BatchFile.ReadClassNamesAsync(folder, cancellationToken);
        var train = await Cifar10BatchFile.ReadAsync(folder, Cifar10Layout.TrainBatches, options.Cifar10RecordsPerBatch, classNames, cancellationToken);
        var test = await Cifar10BatchFile.ReadAsync(folder, [Cifar10Layout.TestBatch], options.Cifar10RecordsPerBatch, classNames, cancellationToken);
        return new RawDataset("cifar10", train, test);
    }

    /// <summary>Extracts the archive found in the root, downloading (and verifying) it first when it is absent.</summary>
    private static async Task ExtractArchiveAsync(DataOptions options, string root, string folder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var url = options.Cifar10Url ?? Cifar10Layout.ArchiveUrl;
        var archive = Path.Combine(root, Cifar10Layout.ArchiveName);
        if (File.Exists(archive))
        {
            var actual = await Md5Checksum.OfFileAsync(archive, cancellationToken);
            if (!Md5Checksum.Matches(actual, options.Cifar10ArchiveMd5))
                throw Unavailable(url, root, $"the archive {archive} is damaged or incomplete (MD5 {actual}, expected {options.Cifar10ArchiveMd5}); delete it first");
        }
        else if (!options.AllowDownload)
        {
            throw Unavailable(url, root, "downloading is disabled (Data:AllowDownload is false)");
        }
        else
        {
            Directory.CreateDirectory(root);
            try
            {
                await VerifiedDownload.DownloadAsync(url, archive, options.Cifar10ArchiveMd5, options.DownloadStallTimeout, progress, cancellationToken);
            }
            catch (Exception exception) when (VerifiedDownload.IsDownloadFailure(exception))
            {
                throw Unavailable(url, root, $"downloading failed: {exception.Message}", exception);
            }
        }
        await TarGzExtraction.ExtractFolderAsync(archive, folder, Cifar10Layout.BatchFiles, progress, cancellationToken);
    }

    private static DataSetUnavailableException Unavailable(Uri url, string root, string reason, Exception? inner = null)
    {
        var rootSlash = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return new DataSetUnavailableException(
            $"CIFAR-10 is not in {rootSlash}{Cifar10Layout.FolderName}{Path.DirectorySeparatorChar} and {reason}. " +
            $"Put {Cifar10Layout.ArchiveName} (from {url}) in {rootSlash} or extract it to {rootSlash}{Cifar10Layout.FolderName}{Path.DirectorySeparatorChar}",
            inner);
    }
}
