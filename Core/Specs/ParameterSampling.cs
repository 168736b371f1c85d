using System.Globalization;

namespace Experiments.Core.Specs;

/// <summary>Maps a coordinate u in [0, 1) to a parameter's value: a choice index, or a point of its range.</summary>
internal static class ParameterSampling
{
    private const string SignificantDigits = "G6";

    public static object? At(ParameterSpec parameter, double u) => parameter switch
    {
        FixedParameter f => f.Value,
        ChoiceParameter c => c.Values[Math.Min((int)(u * c.Values.Count), c.Values.Count - 1)],
        RangeParameter { Distribution: Distribution.IntUniform } r => IntegerAt(r, u),
        RangeParameter { Distribution: Distribution.LogUniform } r => Readable(Math.Exp(Math.Log(r.Min) + (u * (Math.Log(r.Max) - Math.Log(r.Min)))), r),
        RangeParameter r => Readable(r.Min + (u * (r.Max - r.Min)), r),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };

    private static object IntegerAt(RangeParameter range, double u)
    {
        var min = (long)range.Min;
        var count = ((range.TopOfGrid - min) / range.Step) + 1;
        return (int)(min + (Math.Min((long)(u * count), count - 1) * range.Step));
    }

    // Six significant digits: beyond that a learning rate's digits are noise that only makes tables unreadable
    // (and would keep near-identical trials from being recognised as duplicates).
    public static double Readable(double value, RangeParameter range)
    {
        var rounded = double.Parse(value.ToString(SignificantDigits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Math.Clamp(rounded, range.Min, range.Max);
    }
}
