using System.Text;

namespace Experiments.Core.Specs;

/// <summary>
/// Turns submitted text into a <see cref="SpecNode"/> tree: JSON when the first non-whitespace character
/// is <c>{</c>, YAML otherwise. Size and binary content are refused before any parser sees the text.
/// </summary>
internal static class SweepSpecReader
{
    public static SpecNode Read(string text, SweepLimits limits)
    {
        var problem = SourceProblem(text, limits);
        if (problem is not null)
        {
            throw new SweepSpecException([new SpecError(SpecPath.Document, problem)]);
        }

        var body = text.TrimStart('\uFEFF');
        var isJson = body.TrimStart().StartsWith('{');
        try
        {
            return isJson ? JsonSpecReader.Read(body) : YamlSpecReader.Read(body);
        }
        catch (SpecSyntaxException syntax)
        {
            var location = syntax.Line > 0 ? $" at line {syntax.Line}, column {syntax.Column}" : string.Empty;
            var format = isJson ? "JSON" : "YAML";
            throw new SweepSpecException([new SpecError(SpecPath.Document, $"invalid {format}{location}: {syntax.Message}")]);
        }
    }

    private static string? SourceProblem(string text, SweepLimits limits)
    {
        // A string's UTF-8 size is at least its length, so the cheap check settles huge inputs without counting.
        if (text.Length > limits.MaxSourceBytes || Encoding.UTF8.GetByteCount(text) > limits.MaxSourceBytes)
        {
            return $"is larger than {limits.MaxSourceBytes} bytes";
        }

        if (string.IsNullOrWhiteSpace(text.TrimStart('\uFEFF')))
        {
            return "is empty";
        }

        return text.Contains('\0') ? "contains binary data (NUL characters); sweep files are text" : null;
    }
}
