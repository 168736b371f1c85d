namespace Experiments.Core.Specs;

/// <summary>
/// The raw document both YAML and JSON read into, before any meaning is given to it. Keeping this tree
/// format-neutral is what makes a YAML file and its JSON twin validate and expand identically.
/// </summary>
internal abstract record SpecNode
{
    /// <summary>What the node is, for "must be a number, got a list" messages.</summary>
    public abstract string Describe();
}

/// <summary>A mapping, with entries in file order; duplicate keys are kept so the validator can report them.</summary>
internal sealed record SpecMapping(IReadOnlyList<KeyValuePair<string, SpecNode>> Entries) : SpecNode
{
    public override string Describe() => "a mapping";
}

internal sealed record SpecSequence(IReadOnlyList<SpecNode> Items) : SpecNode
{
    public override string Describe() => "a list";
}

/// <summary>How a scalar was written: YAML's core schema (or JSON's token type) decides it, not the field.</summary>
internal enum ScalarKind
{
    Null,
    Boolean,
    Number,
    String,
}

internal sealed record SpecScalar(ScalarKind Kind, string Text) : SpecNode
{
    public override string Describe() => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Boolean => Text,
        ScalarKind.Number => "a number",
        _ => "a string",
    };
}
