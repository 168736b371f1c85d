using System.Globalization;
using System.Security.Cryptography;

namespace Experiments.Core.Queue;

/// <summary>
/// Sweep ids are short, random and URL-safe (<c>sw-</c> + 12 base32 characters); a trial id is its sweep's id
/// plus its index (<c>sw-…-0007</c>), so a trial's sweep is known without a read and ids sort in expansion order.
/// </summary>
internal static class StoreIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const string SweepPrefix = "sw-";
    private const int RandomLength = 12;

    public static string NewSweepId()
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> id = stackalloc char[SweepPrefix.Length + RandomLength];
        SweepPrefix.CopyTo(id);
        for (var i = 0; i < RandomLength; i++)
        {
            id[SweepPrefix.Length + i] = Alphabet[bytes[i] % Alphabet.Length];
        }

        return new string(id);
    }

    public static string TrialId(string sweepId, int index) => sweepId + "-" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The sweep a trial id belongs to; false when the id is not a trial id of this store.</summary>
    public static bool TryGetSweepId(string trialId, out string sweepId)
    {
        var dash = trialId.LastIndexOf('-');
        if (dash <= SweepPrefix.Length || !trialId.StartsWith(SweepPrefix, StringComparison.Ordinal)
            || !int.TryParse(trialId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            sweepId = "";
            return false;
        }

        sweepId = trialId[..dash];
        return true;
    }
}
