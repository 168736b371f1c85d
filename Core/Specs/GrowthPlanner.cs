using System.Globalization;
using Experiments.Core.Records;

namespace Experiments.Core.Specs;

/// <summary>Trials to add to a stored sweep, the configurations it already has left out.</summary>
/// <param name="Added">New trials, in plan order, each configuration once and none the sweep already runs.</param>
/// <param name="AlreadyInSweep">Requested configurations the sweep already has (a no-op, not an error).</param>
/// <param name="SourceText">The edited sweep file that now describes the sweep; null when it keeps its source.</param>
public sealed record GrowthPlan(IReadOnlyList<PlannedTrial> Added, int AlreadyInSweep, string? SourceText);

/// <summary>
/// Plans how a sweep grows: from its file, edited (more values, more seeds, a larger <c>trial_count</c>), or by a
/// number of new seeds for every configuration it has. What binds its trials together stays as it is (method,
/// metric and target, early termination: added trials join the same rungs), and a configuration is never run twice:
/// the same equality as the submit's de-duplication (the whole config, seed included) against every stored trial.
/// </summary>
public static class GrowthPlanner
{
    /// <summary>The methods whose trials are all known up front; only their sweeps grow by adding trials.</summary>
    public static IReadOnlyList<string> Methods { get; } = [SweepMethods.Grid, SweepMethods.Random, SweepMethods.Sobol];

    /// <summary>The sweep's trials planned from <paramref name="text"/> that it does not have yet.</summary>
    /// <exception cref="SweepSpecException">The file is invalid or changes what the sweep's trials share.</exception>
    public static GrowthPlan FromSource(SweepRecord sweep, IReadOnlyList<TrainingConfig> existing, string text, SweepLimits limits)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(existing);
        var plan = SweepSpecParser.Parse(text, limits);
        var errors = new SpecErrorList();
        const string Hint = "added trials are compared with the sweep's own; submit the file as a new sweep to change it";
        if (plan.Name != sweep.Name)
        {
            errors.Add("name", $"must stay '{sweep.Name}', the sweep's name ({Hint})");
        }

        if (plan.Method != sweep.Method)
        {
            errors.Add("method", $"must stay {sweep.Method}, the sweep's method ({Hint})");
        }

        if (plan.Metric != sweep.Metric)
        {
            errors.Add("metric", $"must stay {Describe(sweep.Metric)}, the sweep's metric ({Hint})");
        }

        if (plan.EarlyTermination != sweep.EarlyTermination)
        {
            errors.Add(EarlyTermination.EarlyTerminationSpec.Key, sweep.EarlyTermination is null
                ? "the sweep has no early termination; added trials run as its others do"
                : "must stay as the sweep has it (max_epochs resolved): added trials join its rungs");
        }

        errors.ThrowIfAny();
        return Without(plan.Trials, existing, sweep.TrialIds.Count, limits, text);
    }

    /// <summary>
    /// <paramref name="count"/> new seeds for every configuration the sweep has: the seeds after the largest it uses,
    /// the same ones for every configuration, so each is then read over the same seeds.
    /// </summary>
    /// <exception cref="SweepSpecException">The count is out of range or the sweep would grow past the limits.</exception>
    public static GrowthPlan WithSeeds(IReadOnlyList<TrialRecord> existing, int count, SweepLimits limits)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(limits);
        var seeds = existing.Select(t => t.Config.Seed).Distinct().Count();
        if (count < 1 || seeds + count > limits.MaxSeeds)
        {
            throw new SweepSpecException([new SpecError("seeds", $"must be between 1 and {Math.Max(1, limits.MaxSeeds - seeds)}: the sweep has {seeds} seeds, at most {limits.MaxSeeds} are allowed")]);
        }

        var first = existing.Count == 0 ? 0L : existing.Max(t => (long)t.Config.Seed) + 1;
        if (first + count - 1 > int.MaxValue)
        {
            throw new SweepSpecException([new SpecError("seeds", $"the sweep's seeds already reach {first - 1}; no {count} larger seeds remain")]);
        }

        var configurations = existing
            .OrderBy(t => t.Index)
            .DistinctBy(t => t.Config with { Seed = 0 })
            .ToList();
        var added = configurations.SelectMany(trial => Enumerable.Range(0, count).Select(offset =>
        {
            var seed = (int)(first + offset);
            var parameters = new Dictionary<string, string>(trial.Parameters, StringComparer.Ordinal)
            {
                ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            };
            return new PlannedTrial(trial.Config with { Seed = seed }, parameters);
        })).ToList();
        return Without(added, [.. existing.Select(t => t.Config)], existing.Count, limits, sourceText: null);
    }

    private static GrowthPlan Without(IReadOnlyList<PlannedTrial> planned, IReadOnlyList<TrainingConfig> existing, int trialCount, SweepLimits limits, string? sourceText)
    {
        var seen = existing.ToHashSet();
        var added = planned.Where(t => seen.Add(t.Config)).ToList();
        if (trialCount + added.Count > limits.MaxTrials)
        {
            throw new SweepSpecException([new SpecError(SpecPath.Document,
                $"adds {added.Count} trials to the sweep's {trialCount}: {trialCount + added.Count} trials; at most {limits.MaxTrials} are allowed")]);
        }

        return new GrowthPlan(added, planned.Count - added.Count, sourceText);
    }

    private static string Describe(SweepMetric metric) =>
        $"{{ name: {metric.Name}, goal: {metric.Goal}{(metric.Target is { } target ? ", target: " + target.ToString(CultureInfo.InvariantCulture) : "")} }}";
}
