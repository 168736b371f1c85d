using System.Globalization;

namespace Experiments.Core.Datasets.Files;

/// <summary>Turns received byte counts into a few readable lines (one per whole percent, or per 10 MB when the size is unknown).</summary>
internal sealed class DownloadProgress(string fileName, long? totalBytes, IProgress<string>? progress)
{
    private const double BytesPerMegabyte = 1_000_000;
    private const long UnknownSizeStep = 10_000_000;
    private long _lastStep = -1;

    public void Report(long receivedBytes, bool final = false)
    {
        if (progress is null)
            return;
        var step = totalBytes is > 0 ? receivedBytes * 100 / totalBytes.Value : receivedBytes / UnknownSizeStep;
        if (step == _lastStep && !final)
            return;
        _lastStep = step;
        var received = receivedBytes / BytesPerMegabyte;
        progress.Report(totalBytes is > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Downloading {fileName}: {step}% ({received:F1} of {totalBytes.Value / BytesPerMegabyte:F1} MB)")
            : string.Create(CultureInfo.InvariantCulture, $"Downloading {fileName}: {received:F1} MB"));
    }
}
