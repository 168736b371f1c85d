using System.Globalization;

namespace Experiments.Core.Specs;

/// <summary>The values a numeric field accepts, and how to say so in an error.</summary>
internal sealed record NumericRange(double Min, bool MinInclusive, double Max, bool MaxInclusive)
{
    public static NumericRange Between(double min, double max) => new(min, true, max, true);

    public static NumericRange Above(double min) => new(min, false, double.PositiveInfinity, false);

    public static NumericRange AtLeast(double min) => new(min, true, double.PositiveInfinity, false);

    public bool Contains(double value) =>
        (MinInclusive ? value >= Min : value > Min) && (MaxInclusive ? value <= Max : value < Max);

    public string Describe()
    {
        var min = Min.ToString(CultureInfo.InvariantCulture);
        var max = Max.ToString(CultureInfo.InvariantCulture);
        var lower = $"{(MinInclusive ? ">=" : ">")} {min}";
        return (double.IsPositiveInfinity(Max), MinInclusive && MaxInclusive) switch
        {
            (true, _) => $"must be {lower}",
            (false, true) => $"must be between {min} and {max}",
            _ => $"must be {lower} and {(MaxInclusive ? "<=" : "<")} {max}",
        };
    }
}
