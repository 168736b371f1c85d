namespace Experiments.Core.Specs;

/// <summary>The one entry point: sweep file text in, validated and expanded <see cref="SweepPlan"/> out.</summary>
public static class SweepSpecParser
{
    /// <summary>
    /// Parses YAML or JSON (JSON when the first non-whitespace character is <c>{</c>), validates everything,
    /// and expands the trials.
    /// </summary>
    /// <exception cref="SweepSpecException">The file is invalid; <see cref="SweepSpecException.Errors"/> lists every problem.</exception>
    public static SweepPlan Parse(string text, SweepLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        limits.EnsureUsable();

        var root = SweepSpecReader.Read(text, limits);
        var definition = SweepSpecValidator.Validate(root, limits);
        var trials = TrialPlanner.Plan(definition);
        return new SweepPlan(definition.Name, definition.Method, definition.Metric, text, trials)
        {
            Search = definition.Search,
            EarlyTermination = definition.EarlyTermination,
        };
    }

    /// <summary>
    /// Reads a sweep the store already admitted (its stored source) to propose its next trials: the same reader and
    /// rules, without admission caps (the Dashboard's limits may have changed since).
    /// </summary>
    internal static SweepDefinition Definition(string text)
    {
        var root = SweepSpecReader.Read(text, SweepLimits.Unlimited);
        return SweepSpecValidator.Validate(root, SweepLimits.Unlimited);
    }
}
