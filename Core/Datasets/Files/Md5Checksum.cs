using System.Security.Cryptography;

namespace Experiments.Core.Datasets.Files;

/// <summary>MD5 as the data sets' publishers print it (lower-case hex); it guards against damaged files, not tampering.</summary>
internal static class Md5Checksum
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Format(await MD5.HashDataAsync(file, cancellationToken));
    }

    public static string Format(byte[] hash) => Convert.ToHexStringLower(hash);

    public static bool Matches(string actual, string expected) => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
}
