using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Experiments.Core.Specs;

/// <summary>
/// Reads JSON into a <see cref="SpecNode"/> tree token by token: strict JSON (no comments, no trailing
/// commas), depth capped at <see cref="YamlSpecReader.MaxDepth"/> by the reader itself, numbers kept as
/// written so range checks see exactly what the user typed.
/// </summary>
internal static partial class JsonSpecReader
{
    public static SpecNode Read(string text)
    {
        var reader = new Utf8JsonReader(
            Encoding.UTF8.GetBytes(text),
            new JsonReaderOptions { MaxDepth = YamlSpecReader.MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            Advance(ref reader);
            var root = ReadValue(ref reader);
            if (reader.Read())
            {
                throw new SpecSyntaxException(0, 0, "unexpected content after the end of the JSON object");
            }

            return root;
        }
        catch (JsonException exception)
        {
            throw new SpecSyntaxException((exception.LineNumber ?? 0) + 1, (exception.BytePositionInLine ?? 0) + 1, Reason(exception));
        }
    }

    private static SpecNode ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, SpecNode>>();
                for (Advance(ref reader); reader.TokenType != JsonTokenType.EndObject; Advance(ref reader))
                {
                    var key = ReadString(ref reader);
                    Advance(ref reader);
                    entries.Add(new(key, ReadValue(ref reader)));
                }

                return new SpecMapping(entries);
            case JsonTokenType.StartArray:
                var items = new List<SpecNode>();
                for (Advance(ref reader); reader.TokenType != JsonTokenType.EndArray; Advance(ref reader))
                {
                    items.Add(ReadValue(ref reader));
                }

                return new SpecSequence(items);
            case JsonTokenType.String:
                return new SpecScalar(ScalarKind.String, ReadString(ref reader));
            case JsonTokenType.Number:
                return new SpecScalar(ScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new SpecScalar(ScalarKind.Boolean, reader.TokenType == JsonTokenType.True ? "true" : "false");
            case JsonTokenType.Null:
                return new SpecScalar(ScalarKind.Null, "null");
            default:
                throw new SpecSyntaxException(0, 0, $"unexpected {reader.TokenType}");
        }
    }

    // A syntactically valid escape can still encode invalid UTF-16 ("\ud800"); the reader reports that as
    // InvalidOperationException, which must not escape as anything but a spec error.
    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw new SpecSyntaxException(0, 0, $"invalid string: {exception.Message}");
        }
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new SpecSyntaxException(0, 0, "the JSON ends early (truncated?)");
        }
    }

    // System.Text.Json appends " LineNumber: 0 | BytePositionInLine: 9."; the location is reported separately (1-based).
    private static string Reason(JsonException exception) => LocationSuffix().Replace(exception.Message, string.Empty).TrimEnd();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex LocationSuffix();
}
