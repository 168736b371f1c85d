using System.Globalization;
using System.Security.Cryptography;

namespace Experiments.Core.Files;

/// <summary>The machine and process that made a scratch file.</summary>
public sealed record ScratchOwner(string Host, int ProcessId);

/// <summary>
/// Names of files and folders still being written (a checkpoint before its rename, a download before its checksum
/// matched): hidden, beside their target, <c>.&lt;target&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;random&gt;.&lt;kind&gt;</c>. Naming the
/// writer lets a cleaner on the same machine tell a dead writer's leftovers from a live one's work in progress,
/// even on a mount shared with other machines.
/// </summary>
public static class ScratchName
{
    /// <summary>A checkpoint being written.</summary>
    public const string TemporaryKind = "tmp";

    /// <summary>A download or an extraction being staged.</summary>
    public const string PartialKind = "partial";

    /// <summary>This machine's name as it appears in scratch names (letters, digits and '-' only).</summary>
    public static string Host { get; } = Sanitize(Environment.MachineName);

    public static string For(string targetName, string kind) => string.Create(
        CultureInfo.InvariantCulture,
        $".{targetName}.{Host}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.{kind}");

    /// <summary>Whether <paramref name="name"/> is a scratch name (any version of it: hidden, ending in .tmp or .partial).</summary>
    public static bool IsScratch(string name) =>
        name.Length > 1 && name[0] == '.'
        && (name.EndsWith("." + TemporaryKind, StringComparison.Ordinal) || name.EndsWith("." + PartialKind, StringComparison.Ordinal));

    /// <summary>The writer named in a scratch name; null for names without one (written before writers were named).</summary>
    public static ScratchOwner? OwnerOf(string name)
    {
        if (!IsScratch(name))
        {
            return null;
        }

        // From the end: kind, random, pid, host; the target name before them may itself contain dots.
        var parts = name.Split('.');
        return parts.Length >= 6 && int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && parts[^4].Length > 0
            ? new ScratchOwner(parts[^4], pid)
            : null;
    }

    private static string Sanitize(string host)
    {
        var chars = host.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray();
        return chars.Length == 0 ? "host" : new string(chars);
    }
}
