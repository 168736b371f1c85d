using Experiments.Core.Records;

namespace Experiments.Core.Specs;

/// <summary>
/// Reads <c>metric.target</c>: the value each trial is timed to. Only a metric recorded every epoch can be reached
/// mid-training; a fraction (accuracy) is a number in [0, 1], a loss is at least 0.
/// </summary>
internal static class MetricTargetReader
{
    public const string Key = "target";

    private static readonly string Path = SpecPath.Key("metric", Key);

    public static double? Read(SpecNode? node, string? metricName, SpecErrorList errors)
    {
        if (node is null || !SpecScalars.TryNumber(node, Path, errors, out var target))
        {
            return null;
        }

        if (MetricDefinition.Find(metricName) is not { } metric)
        {
            // The name itself is reported at metric.name.
            return null;
        }

        if (!metric.PerEpoch)
        {
            var perEpoch = string.Join(", ", MetricDefinition.Objectives.Where(m => m.PerEpoch).Select(m => m.Name));
            errors.Add(Path, $"{metric.Name} is measured once, after training; a target needs a metric recorded every epoch ({perEpoch})");
            return null;
        }

        var range = metric.Scale == MetricScale.Fraction ? NumericRange.Between(0, 1) : NumericRange.AtLeast(0);
        if (!range.Contains(target))
        {
            var unit = metric.Scale == MetricScale.Fraction ? $" ({metric.Name} is a fraction: 0.85 means 85 %)" : "";
            errors.Add(Path, range.Describe() + unit);
            return null;
        }

        return target;
    }
}
