using System.Globalization;
using System.Text.RegularExpressions;

namespace Experiments.Core.Specs;

/// <summary>
/// Types a plain (unquoted) YAML scalar by the YAML 1.2 core schema, so <c>lr: "0.001"</c> stays a string
/// while <c>lr: 0.001</c> is a number, and <c>yes</c>/<c>on</c> are not booleans (the YAML 1.1 trap).
/// </summary>
internal static partial class YamlScalarResolver
{
    public static ScalarKind Resolve(string plain) => plain switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Boolean,
        _ when NumberPattern().IsMatch(plain) => ScalarKind.Number,
        _ => ScalarKind.String,
    };

    /// <summary>The canonical text of a resolved scalar: booleans lower-case, YAML's <c>.inf</c>/<c>.nan</c> spelled as .NET reads them.</summary>
    public static string Canonical(ScalarKind kind, string plain) => kind switch
    {
        ScalarKind.Boolean => plain.ToLowerInvariant(),
        ScalarKind.Number when plain.EndsWith("inf", StringComparison.OrdinalIgnoreCase) =>
            plain.StartsWith('-') ? NumberFormatInfo.InvariantInfo.NegativeInfinitySymbol : NumberFormatInfo.InvariantInfo.PositiveInfinitySymbol,
        ScalarKind.Number when plain.EndsWith("nan", StringComparison.OrdinalIgnoreCase) => NumberFormatInfo.InvariantInfo.NaNSymbol,
        _ => plain,
    };

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex NumberPattern();
}
