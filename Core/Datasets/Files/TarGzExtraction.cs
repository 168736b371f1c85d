using System.Formats.Tar;
using System.IO.Compression;

namespace Experiments.Core.Datasets.Files;

/// <summary>
/// Extracts a tar.gz into a hidden staging folder beside the target and renames the wanted top folder into place,
/// so the target folder is either absent or complete.
/// </summary>
internal static class TarGzExtraction
{
    public static async Task ExtractFolderAsync(
        string archivePath, string targetFolder, IReadOnlyCollection<string> requiredFiles,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using var staging = StagingFolder.Beside(targetFolder);
        progress?.Report($"Extracting {archivePath}");
        await ExtractAllAsync(archivePath, staging.Path, cancellationToken);
        var folderName = Path.GetFileName(targetFolder);
        var extracted = Path.Combine(staging.Path, folderName);
        var missing = requiredFiles.Where(name => !File.Exists(Path.Combine(extracted, name))).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{archivePath} lacks {string.Join(", ", missing.Select(name => $"{folderName}/{name}"))}");
        // False means another worker extracted the same archive first; its folder is complete too.
        StagingFolder.TryMoveFolder(extracted, targetFolder);
    }

    private static async Task ExtractAllAsync(string archivePath, string destination, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            // TarFile refuses entries that would land outside the destination.
            await TarFile.ExtractToDirectoryAsync(gzip, destination, overwriteFiles: false, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{archivePath} is not a readable tar.gz archive: {exception.Message}", exception);
        }
    }
}
