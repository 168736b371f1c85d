using Experiments.Core.Datasets.Files;

namespace Experiments.Core.Datasets;

/// <summary>Fashion-MNIST gzip IDX files from the data root, the Debian package's folder, or a download.</summary>
public static class FashionMnistFiles
{
    public static async Task<RawDataset> LoadAsync(DataOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Root);
        var local = Path.Combine(root, FashionMnistLayout.FolderName);
        var files = options.FashionMnistSystemFolders.Prepend(local).Select(FashionMnistFolder.Locate).FirstOrDefault(found => found is not null)
            ?? await DownloadAsync(options, root, local, progress, cancellationToken);

        progress?.Report($"Reading Fashion-MNIST from {Path.GetDirectoryName(files[FashionMnistLayout.TrainImages])}");
        var train = await FashionMnistImages.ReadAsync(files[FashionMnistLayout.TrainImages], files[FashionMnistLayout.TrainLabels], cancellationToken);
        var test = await FashionMnistImages.ReadAsync(files[FashionMnistLayout.TestImages], files[FashionMnistLayout.TestLabels], cancellationToken);
        return new RawDataset("fashion-mnist", train, test);
    }

    private static async Task<IReadOnlyDictionary<string, string>> DownloadAsync(
        DataOptions options, string root, string local, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var baseUrl = options.FashionMnistBaseUrl ?? FashionMnistLayout.BaseUrl;
        if (!options.AllowDownload)
            throw Unavailable(options, root, baseUrl, "downloading is disabled (Data:AllowDownload is false)");
        try
        {
            await FashionMnistFolder.DownloadMissingAsync(options, local, progress, cancellationToken);
        }
        catch (Exception exception) when (VerifiedDownload.IsDownloadFailure(exception))
        {
            throw Unavailable(options, root, baseUrl, $"downloading failed: {exception.Message}", exception);
        }
        return FashionMnistFolder.Locate(local) ?? throw new InvalidOperationException($"Fashion-MNIST was downloaded but {local} is incomplete.");
    }

    private static DataSetUnavailableException Unavailable(DataOptions options, string root, Uri baseUrl, string reason, Exception? inner = null)
    {
        var slash = Path.DirectorySeparatorChar;
        var local = Path.Combine(root, FashionMnistLayout.FolderName) + slash;
        var searched = string.Join(", ", options.FashionMnistSystemFolders.Select(folder => Path.TrimEndingDirectorySeparator(folder) + slash).Prepend(local));
        var names = FashionMnistLayout.Stems.Select(stem => stem + FashionMnistLayout.CompressedSuffix).ToList();
        return new DataSetUnavailableException(
            $"Fashion-MNIST is not in {searched} and {reason}. " +
            $"Put {string.Join(", ", names[..^1])} and {names[^1]} (from {baseUrl}) in {local}, " +
            "or install Debian's package (apt-get install dataset-fashion-mnist)",
            inner);
    }
}
