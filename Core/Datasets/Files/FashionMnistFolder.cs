namespace Experiments.Core.Datasets.Files;

/// <summary>Finds the four Fashion-MNIST files in a folder (each as <c>.gz</c> or plain) and downloads missing ones.</summary>
internal static class FashionMnistFolder
{
    /// <summary>The path of each file by its stem, or null unless all four are present.</summary>
    public static IReadOnlyDictionary<string, string>? Locate(string folder)
    {
        var found = new Dictionary<string, string>();
        foreach (var stem in FashionMnistLayout.Stems)
        {
            var path = Find(folder, stem);
            if (path is null)
                return null;
            found[stem] = path;
        }
        return found;
    }

    private static string? Find(string folder, string stem) =>
        new[] { stem + FashionMnistLayout.CompressedSuffix, stem }
            .Select(name => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Downloads the files the folder lacks into a staging folder, verifying each, and moves them in only when all
    /// arrived: a failed or cancelled download leaves nothing behind.
    /// </summary>
    public static async Task DownloadMissingAsync(DataOptions options, string folder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var baseUrl = WithTrailingSlash(options.FashionMnistBaseUrl ?? FashionMnistLayout.BaseUrl);
        var missing = FashionMnistLayout.Stems
            .Where(stem => Find(folder, stem) is null)
            .Select(stem => stem + FashionMnistLayout.CompressedSuffix)
            .ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        using var staging = StagingFolder.Beside(folder);
        foreach (var name in missing)
        {
            await VerifiedDownload.DownloadAsync(
                new Uri(baseUrl, name), Path.Combine(staging.Path, name), options.FashionMnistMd5[name],
                options.DownloadStallTimeout, progress, cancellationToken);
        }
        if (!Directory.Exists(folder) && StagingFolder.TryMoveFolder(staging.Path, folder))
            return;
        foreach (var name in missing)
        {
            // Overwriting is harmless: a file that appeared meanwhile was verified the same way.
            File.Move(Path.Combine(staging.Path, name), Path.Combine(folder, name), overwrite: true);
        }
    }

    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
