using System.Globalization;

namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// How parameter values read on every page (tables, cards, legends, hovers, diffs; exports keep the stored text):
/// per parameter, the fewest significant digits (2 to 6) that still tell that parameter's values in the sweep apart,
/// scientific notation below 1e-3 and from 1e6 up (<c>3.2e-5</c>), integers (seeds, sizes) as they are, text unchanged.
/// Built once per set of trials, so every row, card and legend of a page shows a value the same way.
/// </summary>
public sealed class ParameterFormat
{
    /// <summary>Two digits at least: one alone rounds 3.16e-5 to 3e-5, which reads as a different grid point.</summary>
    public const int MinDigits = 2;

    /// <summary>Values closer than six digits apart are the same setting for any training purpose.</summary>
    public const int MaxDigits = 6;

    /// <summary>For a value seen alone (no sweep to tell it apart from): as many digits as it has, up to the cap.</summary>
    public static readonly ParameterFormat Alone = new(new Dictionary<string, int>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, int> _digits;

    private ParameterFormat(IReadOnlyDictionary<string, int> digits) => _digits = digits;

    /// <summary>The format of these trials' parameters: digits chosen per key over every value it takes.</summary>
    public static ParameterFormat Of(IEnumerable<IReadOnlyDictionary<string, string>> parameterSets)
    {
        var values = new Dictionary<string, HashSet<double>>(StringComparer.Ordinal);
        foreach (var set in parameterSets)
        {
            foreach (var (key, raw) in set)
            {
                if (Parse(raw) is { } number)
                {
                    if (!values.TryGetValue(key, out var seen))
                    {
                        values[key] = seen = [];
                    }

                    seen.Add(number);
                }
            }
        }

        return new ParameterFormat(values.ToDictionary(p => p.Key, p => DigitsToTellApart(p.Value), StringComparer.Ordinal));
    }

    /// <summary>The format of one key's values, e.g. a config field across compared trials.</summary>
    public static ParameterFormat Of(string key, IEnumerable<string?> rawValues) =>
        Of(rawValues.Where(v => v is not null).Select(v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [key] = v! }));

    /// <summary>A parameter's stored value as it is shown; non-numbers (choices, booleans) unchanged.</summary>
    public string Format(string key, string? raw)
    {
        if (raw is null || Parse(raw) is not { } number)
        {
            return raw ?? "";
        }

        return Number(number, _digits.TryGetValue(key, out var digits) ? digits : MaxDigits);
    }

    /// <summary><paramref name="value"/> rounded to <paramref name="digits"/> significant digits, trailing zeros dropped.</summary>
    public static string Number(double value, int digits)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        // Integers (seeds, batch sizes, epochs) are never rounded: 128 must not read as 130.
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        if (magnitude < 1e-3 || magnitude >= 1e6)
        {
            return Scientific(value, digits);
        }

        var rounded = double.Parse(value.ToString("E" + (digits - 1), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded.ToString("0.##########", CultureInfo.InvariantCulture);
    }

    /// <summary>The digits used for <paramref name="key"/> (for tests and for columns that align on them).</summary>
    public int DigitsOf(string key) => _digits.TryGetValue(key, out var digits) ? digits : MaxDigits;

    private static int DigitsToTellApart(HashSet<double> values)
    {
        for (var digits = MinDigits; digits < MaxDigits; digits++)
        {
            var shown = new HashSet<string>(StringComparer.Ordinal);
            if (values.All(v => shown.Add(Number(v, digits))))
            {
                return digits;
            }
        }

        return MaxDigits;
    }

    private static string Scientific(double value, int digits)
    {
        // "E" gives e.g. 3.20E-005: keep the mantissa without trailing zeros and the exponent without padding.
        var text = value.ToString("E" + (digits - 1), CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = text[..e];
        if (mantissa.Contains('.', StringComparison.Ordinal))
        {
            mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        }

        return mantissa + "e" + int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    private static double? Parse(string raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
