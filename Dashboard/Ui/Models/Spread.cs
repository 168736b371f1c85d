namespace Experiments.Dashboard.Ui.Models;

/// <summary>Mean and sample standard deviation (n - 1) of the values present; Std is null below two values.</summary>
public sealed record Spread(double Mean, double? Std, int Count)
{
    public static Spread? Of(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        var mean = present.Average();
        double? std = present.Count < 2
            ? null
            : Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Count - 1));
        return new Spread(mean, std, present.Count);
    }
}
