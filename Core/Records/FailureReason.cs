using System.Text.RegularExpressions;

namespace Experiments.Core.Records;

/// <summary>
/// The reason an attempt records when it ends with an exception. Reasons are shown to every API caller and page
/// visitor with access, so the exception's type and message are kept (they say what went wrong) but absolute
/// server paths are cut to their last part: the worker's log keeps the full text for operators.
/// </summary>
public static partial class FailureReason
{
    /// <summary>What replaces the folders of a stripped path.</summary>
    public const string Elided = "…";

    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().Name}: {StripPaths(exception.Message)}";
    }

    /// <summary><c>/home/u/repo/.data/x/last.ckpt</c> becomes <c>…/last.ckpt</c>; URLs and relative names stay.</summary>
    public static string StripPaths(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = UnixPath().Replace(text, match => $"{Elided}/{match.Groups["name"].Value}");
        return WindowsPath().Replace(text, match => $"{Elided}\\{match.Groups["name"].Value}");
    }

    // A path starts a word (after a space, quote, bracket, '=' or ','), so the '//' of a URL never matches.
    [GeneratedRegex("""(?<=^|[\s'"(\[=,])/(?:[^/\s'"()\[\],:]+/)+(?<name>[^/\s'"()\[\],:]*)""")]
    private static partial Regex UnixPath();

    [GeneratedRegex("""(?<=^|[\s'"(\[=,])[A-Za-z]:\\(?:[^\\\s'"()\[\],]+\\)*(?<name>[^\\\s'"()\[\],]*)""")]
    private static partial Regex WindowsPath();
}
