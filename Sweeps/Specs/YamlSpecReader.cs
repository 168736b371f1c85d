using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Experiments.Sweeps.Specs;

/// <summary>
/// Reads YAML into a <see cref="SpecNode"/> tree from the parser's event stream, so nothing is ever built
/// from a hostile document: anchors, aliases and tags are refused (no billion laughs, no custom types),
/// nesting stops at <see cref="MaxDepth"/> before the parser goes any deeper, and only one document is allowed.
/// </summary>
internal static partial class YamlSpecReader
{
    public const int MaxDepth = 32;

    public static SpecNode Read(string text)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.MoveNext();
            Expect<StreamStart>(parser);
            if (parser.Current is StreamEnd)
            {
                throw new SpecSyntaxException(1, 1, "the document is empty");
            }

            var documentStart = Expect<DocumentStart>(parser);
            if (parser.Current is DocumentEnd)
            {
                throw At(documentStart, "the document is empty");
            }

            var root = ReadNode(parser, 1);
            Expect<DocumentEnd>(parser);
            if (parser.Current is DocumentStart another)
            {
                throw At(another, "only one YAML document is allowed");
            }

            return root;
        }
        catch (YamlException exception)
        {
            throw new SpecSyntaxException(exception.Start.Line, exception.Start.Column, Reason(exception));
        }
    }

    private static SpecNode ReadNode(IParser parser, int depth)
    {
        var current = parser.Current ?? throw new SpecSyntaxException(0, 0, "unexpected end of document");
        if (depth > MaxDepth)
        {
            throw At(current, $"nesting is deeper than {MaxDepth} levels");
        }

        if (current is AnchorAlias)
        {
            throw At(current, "aliases (*name) are not allowed");
        }

        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                throw At(current, "anchors (&name) are not allowed");
            }

            if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
            {
                throw At(current, "tags (!name) are not allowed");
            }
        }

        parser.MoveNext();
        return current switch
        {
            Scalar scalar => ToScalar(scalar),
            SequenceStart => ReadSequence(parser, depth),
            MappingStart => ReadMapping(parser, depth),
            _ => throw At(current, $"unexpected {current.GetType().Name}"),
        };
    }

    private static SpecSequence ReadSequence(IParser parser, int depth)
    {
        var items = new List<SpecNode>();
        while (parser.Current is not SequenceEnd)
        {
            items.Add(ReadNode(parser, depth + 1));
        }

        parser.MoveNext();
        return new SpecSequence(items);
    }

    private static SpecMapping ReadMapping(IParser parser, int depth)
    {
        var entries = new List<KeyValuePair<string, SpecNode>>();
        while (parser.Current is not MappingEnd)
        {
            var keyEvent = parser.Current;
            if (ReadNode(parser, depth + 1) is not SpecScalar key)
            {
                throw At(keyEvent!, "mapping keys must be plain text");
            }

            entries.Add(new(key.Text, ReadNode(parser, depth + 1)));
        }

        parser.MoveNext();
        return new SpecMapping(entries);
    }

    private static SpecScalar ToScalar(Scalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain)
        {
            return new SpecScalar(ScalarKind.String, scalar.Value);
        }

        var kind = YamlScalarResolver.Resolve(scalar.Value);
        return new SpecScalar(kind, YamlScalarResolver.Canonical(kind, scalar.Value));
    }

    /// <summary>Checks the current event is a <typeparamref name="T"/> and moves past it.</summary>
    private static T Expect<T>(IParser parser)
        where T : ParsingEvent
    {
        var current = parser.Current ?? throw new SpecSyntaxException(0, 0, "unexpected end of document");
        var expected = current as T ?? throw At(current, $"expected {typeof(T).Name}, found {current.GetType().Name}");
        parser.MoveNext();
        return expected;
    }

    private static SpecSyntaxException At(ParsingEvent parsingEvent, string reason) =>
        new(parsingEvent.Start.Line, parsingEvent.Start.Column, reason);

    // YamlDotNet prefixes its messages with "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the location is reported separately.
    private static string Reason(YamlException exception) => MarkPrefix().Replace(exception.Message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
