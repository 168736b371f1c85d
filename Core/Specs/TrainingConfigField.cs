namespace Experiments.Core.Specs;

/// <summary>How a <see cref="TrainingConfig"/> property is written in a sweep file.</summary>
internal enum FieldKind
{
    Integer,
    Real,
    Boolean,
    Choice,
    Identifier,
}

/// <summary>
/// One <see cref="TrainingConfig"/> property as a sweep file sees it: its snake_case name, its kind, what it
/// accepts, and how to read and set it. Values are boxed <c>int</c>, <c>double</c>, <c>bool</c>, <c>string</c> or null.
/// </summary>
internal sealed record TrainingConfigField(
    string Name,
    FieldKind Kind,
    Func<TrainingConfig, object?> Get,
    Func<TrainingConfig, object?, TrainingConfig> Set)
{
    /// <summary>Numeric fields: accepted values (some depend on the limits, e.g. <c>epochs</c>).</summary>
    public Func<SweepLimits, NumericRange> Range { get; init; } = _ => new(double.NegativeInfinity, false, double.PositiveInfinity, false);

    /// <summary>Choice fields: the accepted spellings as shown in errors (<c>cuda:N</c> stands for a pattern).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Choice and identifier fields: whether a string is accepted.</summary>
    public Func<string, bool> Accepts { get; init; } = _ => true;

    /// <summary>What an invalid string is told, for choice and identifier fields.</summary>
    public string Expected => Kind == FieldKind.Choice
        ? $"must be one of {string.Join(", ", Choices)}"
        : "must be a checkpoint id (letters, digits, '-', '_', '.'), never a path";
}
