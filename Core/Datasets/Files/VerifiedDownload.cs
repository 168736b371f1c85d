using System.Globalization;
using System.Security.Cryptography;
using Experiments.Core.Files;

namespace Experiments.Core.Datasets.Files;

/// <summary>
/// Downloads one file into a hidden partial file beside its destination, hashing as it goes, and renames it into
/// place only when its MD5 matches: the destination is either absent or complete and verified.
/// </summary>
internal static class VerifiedDownload
{
    // One client for the process; no overall timeout because archives are large: a stall timeout guards instead.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static async Task DownloadAsync(
        Uri source, string destination, string expectedMd5, TimeSpan stallTimeout,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var partial = PartialPathFor(destination);
        try
        {
            var actualMd5 = await DownloadToAsync(source, partial, stallTimeout, progress, cancellationToken);
            if (!Md5Checksum.Matches(actualMd5, expectedMd5))
                throw new InvalidDataException($"the file from {source} has MD5 {actualMd5}, expected {expectedMd5} (checksum mismatch: damaged or wrong file); it was deleted");
            // Another worker may have finished the same verified file meanwhile: replacing it is harmless.
            File.Move(partial, destination, overwrite: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"no data from {source} for {stallTimeout.TotalSeconds:0} s"));
        }
        finally
        {
            DeleteIfPresent(partial);
        }
    }

    /// <summary>Failures that mean "could not get the file" (offline, refused, bad status, stalled, bad checksum), not bugs.</summary>
    public static bool IsDownloadFailure(Exception exception) =>
        exception is HttpRequestException or IOException or TimeoutException or InvalidDataException;

    private static async Task<string> DownloadToAsync(
        Uri source, string partial, TimeSpan stallTimeout, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallTimeout);
        using var response = await Http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        response.EnsureSuccessStatusCode();
        var meter = new DownloadProgress(Path.GetFileName(source.LocalPath), response.Content.Headers.ContentLength, progress);
        await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
        await using var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        long received = 0;
        int read;
        meter.Report(received);
        while ((read = await body.ReadAsync(buffer, stall.Token)) > 0)
        {
            stall.CancelAfter(stallTimeout);
            md5.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), stall.Token);
            received += read;
            meter.Report(received);
        }
        meter.Report(received, final: true);
        // On disk before the rename, so a crash cannot leave a renamed but empty file.
        file.Flush(flushToDisk: true);
        return Md5Checksum.Format(md5.GetHashAndReset());
    }

    // Named after this process, so a cleaner can tell a crashed download's leftover from one in progress.
    private static string PartialPathFor(string destination) =>
        Path.Combine(Path.GetDirectoryName(destination)!, ScratchName.For(Path.GetFileName(destination), ScratchName.PartialKind));

    private static void DeleteIfPresent(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden .partial file is never mistaken for data.
        }
    }
}
