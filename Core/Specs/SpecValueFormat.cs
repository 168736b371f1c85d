using System.Globalization;

namespace Experiments.Core.Specs;

/// <summary>How a parameter value is shown in <see cref="PlannedTrial.Parameters"/>: invariant culture, round-trippable, choices as sweep files spell them.</summary>
internal static class SpecValueFormat
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool flag => flag ? "true" : "false",
        double real => real.ToString("R", CultureInfo.InvariantCulture),
        Enum choice => choice.ToSpelling(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
