using System.Text;

namespace Experiments.Core.Specs;

/// <summary>Builds the dotted paths errors are reported at (<c>parameters.lr.values[2]</c>).</summary>
internal static class SpecPath
{
    /// <summary>The path of problems with the file as a whole (size, syntax, root type).</summary>
    public const string Document = "document";

    private const int MaxKeyLength = 40;

    public static string Key(string parent, string key) =>
        parent.Length == 0 ? Display(key) : $"{parent}.{Display(key)}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    // Keys come from untrusted input: quote anything unusual and keep it short so paths stay printable.
    private static string Display(string key)
    {
        if (key.Length is > 0 and <= MaxKeyLength && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return key;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in key.Take(MaxKeyLength))
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c is '"' or '\\' ? $"\\{c}" : c.ToString());
        }

        return builder.Append(key.Length > MaxKeyLength ? "...\"" : "\"").ToString();
    }
}
