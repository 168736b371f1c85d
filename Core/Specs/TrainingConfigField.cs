using System.Globalization;
using Experiments.Core.Checkpoints;

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
/// accepts, and how to read and set it. Values are boxed <c>int</c>, <c>double</c>, <c>bool</c>, a choice (an enum or
/// <see cref="TrainingDevice"/>), a <c>string</c> id or null. The same rules judge a value read from a file and a
/// value already typed (a stored record, a command-line override).
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

    /// <summary>Choice and identifier fields: the value a spelling stands for, or null when it is not accepted.</summary>
    public Func<string, object?> Parse { get; init; } = text => text;

    /// <summary>Choice and identifier fields: whether a typed value is one the field accepts.</summary>
    public Func<object?, bool> Accepts { get; init; } = _ => true;

    /// <summary>What an invalid string is told, for choice and identifier fields.</summary>
    public string Expected => Kind == FieldKind.Choice ? $"must be one of {string.Join(", ", Choices)}" : CheckpointId.Rule;

    /// <summary>Why a typed value is not accepted, or null when it is.</summary>
    public string? Problem(object? value, SweepLimits limits)
    {
        switch (Kind)
        {
            case FieldKind.Integer or FieldKind.Real:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                var range = Range(limits);
                return !double.IsFinite(number) ? "must be a finite number" : range.Contains(number) ? null : range.Describe();
            case FieldKind.Boolean:
                return null;
            default:
                return Accepts(value) ? null : Expected;
        }
    }
}
