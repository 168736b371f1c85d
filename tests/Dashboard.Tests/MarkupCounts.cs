namespace Experiments.Dashboard.Tests;

/// <summary>How often a piece of markup stands in rendered HTML or SVG (non-overlapping, ordinal).</summary>
internal static class MarkupCounts
{
    public static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
