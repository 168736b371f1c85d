using System.Globalization;
using System.Security.Cryptography;

namespace Experiments.Core.Queue;

/// <summary>
/// Sweep ids are short, random and URL-safe (<c>sw-</c> + 12 base32 characters); a trial id is its sweep's id
/// plus its index (<c>sw-…-0007</c>), so a trial's sweep is known without a read and ids sort in expansion order.
/// Every id that arrives from outside is checked against this format before it becomes part of a key: an id with
/// a colon would otherwise name another key (<c>trial:&lt;id&gt;:attempts</c> is a list, not a trial).
/// </summary>
public static class StoreIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const string SweepPrefix = "sw-";
    private const int RandomLength = 12;
    private const int SweepIdLength = 15;

    /// <summary>Index digits: at least four (<c>D4</c>), at most what an int holds without overflow.</summary>
    private const int MinIndexDigits = 4;
    private const int MaxIndexDigits = 9;

    /// <summary>The format, for messages: what a caller should have sent.</summary>
    public const string SweepIdFormat = "sw- followed by 12 characters a-z or 2-7";

    public const string TrialIdFormat = "a sweep id, a dash and the trial's index of at least 4 digits";

    internal static string NewSweepId()
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

    internal static string TrialId(string sweepId, int index) => sweepId + "-" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>True for exactly the ids <see cref="NewSweepId"/> makes.</summary>
    public static bool IsSweepId(ReadOnlySpan<char> id)
    {
        if (id.Length != SweepIdLength || !id.StartsWith(SweepPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id[SweepPrefix.Length..])
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '2' and <= '7')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for exactly the ids <see cref="TrialId"/> makes.</summary>
    public static bool IsTrialId(ReadOnlySpan<char> id) => TrySplitTrialId(id, out _);

    /// <summary>A well-formed trial id's index within its sweep (<c>sw-…-0007</c> is 7).</summary>
    public static int TrialIndex(string trialId) =>
        IsTrialId(trialId)
            ? int.Parse(trialId.AsSpan(SweepIdLength + 1), NumberStyles.None, CultureInfo.InvariantCulture)
            : throw new ArgumentException($"'{trialId}' is not a trial id.", nameof(trialId));

    /// <summary>The sweep a trial id belongs to; false when the id is not a well-formed trial id.</summary>
    public static bool TryGetSweepId(string trialId, out string sweepId)
    {
        ArgumentNullException.ThrowIfNull(trialId);
        if (!TrySplitTrialId(trialId, out var sweepLength))
        {
            sweepId = "";
            return false;
        }

        sweepId = trialId[..sweepLength];
        return true;
    }

    private static bool TrySplitTrialId(ReadOnlySpan<char> id, out int sweepLength)
    {
        sweepLength = SweepIdLength;
        var index = id.Length > SweepIdLength + 1 ? id[(SweepIdLength + 1)..] : [];
        return id.Length > SweepIdLength
            && IsSweepId(id[..SweepIdLength])
            && id[SweepIdLength] == '-'
            && index.Length is >= MinIndexDigits and <= MaxIndexDigits
            && !index.ContainsAnyExceptInRange('0', '9');
    }
}
