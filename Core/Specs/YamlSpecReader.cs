using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Experiments.Core.Specs;

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
        var events = new EventCursor(text);
        events.MoveNext();
        Expect<StreamStart>(events);
        if (events.Current is StreamEnd)
        {
            throw new SpecSyntaxException(1, 1, "the document is empty");
        }

        var documentStart = Expect<DocumentStart>(events);
        if (events.Current is DocumentEnd)
        {
            throw At(documentStart, "the document is empty");
        }

        var root = ReadNode(events, 1);
        Expect<DocumentEnd>(events);
        if (events.Current is DocumentStart another)
        {
            throw At(another, "only one YAML document is allowed");
        }

        return root;
    }

    private static SpecNode ReadNode(EventCursor events, int depth)
    {
        var current = events.Current ?? throw new SpecSyntaxException(0, 0, "unexpected end of document");
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

        events.MoveNext();
        return current switch
        {
            Scalar scalar => ToScalar(scalar),
            SequenceStart => ReadSequence(events, depth),
            MappingStart => ReadMapping(events, depth),
            _ => throw At(current, $"unexpected {current.GetType().Name}"),
        };
    }

    private static SpecSequence ReadSequence(EventCursor events, int depth)
    {
        var items = new List<SpecNode>();
        while (events.Current is not SequenceEnd)
        {
            items.Add(ReadNode(events, depth + 1));
        }

        events.MoveNext();
        return new SpecSequence(items);
    }

    private static SpecMapping ReadMapping(EventCursor events, int depth)
    {
        var entries = new List<KeyValuePair<string, SpecNode>>();
        while (events.Current is not MappingEnd)
        {
            var keyEvent = events.Current;
            if (ReadNode(events, depth + 1) is not SpecScalar key)
            {
                throw At(keyEvent!, "mapping keys must be plain text");
            }

            entries.Add(new(key.Text, ReadNode(events, depth + 1)));
        }

        events.MoveNext();
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
    private static T Expect<T>(EventCursor events)
        where T : ParsingEvent
    {
        var current = events.Current ?? throw new SpecSyntaxException(0, 0, "unexpected end of document");
        var expected = current as T ?? throw At(current, $"expected {typeof(T).Name}, found {current.GetType().Name}");
        events.MoveNext();
        return expected;
    }

    private static SpecSyntaxException At(ParsingEvent parsingEvent, string reason) =>
        new(parsingEvent.Start.Line, parsingEvent.Start.Column, reason);

    // YamlDotNet prefixes its messages with "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the location is reported separately.
    private static string Reason(YamlException exception) => MarkPrefix().Replace(exception.Message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    /// <summary>
    /// The parser's events, guarded against the parser itself: YamlDotNet's scanner has thrown exceptions other
    /// than <see cref="YamlException"/> on malformed input (aaubry/YamlDotNet#541) and has been seen to stop
    /// advancing on errors, so every step is budgeted and any failure becomes a located syntax error.
    /// </summary>
    private sealed class EventCursor(string text)
    {
        private readonly Parser _parser = new(new StringReader(text));

        // A document cannot yield more events than a few per character; far beyond that the parser is stuck.
        private long _budget = (4L * text.Length) + 16;

        public ParsingEvent? Current => _parser.Current;

        public void MoveNext()
        {
            var last = _parser.Current?.End;
            if (--_budget < 0)
            {
                throw new SpecSyntaxException(last?.Line ?? 0, last?.Column ?? 0, "the YAML parser stopped making progress");
            }

            try
            {
                _parser.MoveNext();
            }
            catch (YamlException exception)
            {
                throw new SpecSyntaxException(exception.Start.Line, exception.Start.Column, Reason(exception));
            }
#pragma warning disable CA1031 // Untrusted input through a third-party parser: any failure there is the document's fault.
            catch (Exception exception) when (exception is not SpecSyntaxException)
#pragma warning restore CA1031
            {
                throw new SpecSyntaxException(last?.Line ?? 0, last?.Column ?? 0, $"unreadable YAML after this point ({exception.GetType().Name})");
            }
        }
    }
}
