namespace Experiments.Core.EarlyTermination;

/// <summary>Which way a sweep's metric improves (the sweep file's <c>metric.goal</c>).</summary>
public enum MetricGoal
{
    Maximize,
    Minimize,
}

public static class MetricGoals
{
    /// <summary>Reads <c>maximize</c> / <c>minimize</c>, as <see cref="Specs.SweepMetric.Goal"/> holds it.</summary>
    public static MetricGoal Parse(string goal) => goal switch
    {
        "maximize" => MetricGoal.Maximize,
        "minimize" => MetricGoal.Minimize,
        _ => throw new ArgumentOutOfRangeException(nameof(goal), goal, "A metric goal is maximize or minimize."),
    };

    /// <summary>True when <paramref name="value"/> is strictly better than <paramref name="other"/>; a tie is not better.</summary>
    public static bool IsBetter(this MetricGoal goal, double value, double other) =>
        goal == MetricGoal.Maximize ? value > other : value < other;
}
