namespace Experiments.Core.Specs;

/// <summary>
/// Turns a validated definition into trials: expands the method's configurations, applies them to the base,
/// crosses them with the seeds, drops repeats (first kept), and checks rules spanning several settings.
/// </summary>
internal static class TrialPlanner
{
    public static IReadOnlyList<PlannedTrial> Plan(SweepDefinition definition)
    {
        var seen = new HashSet<TrainingConfig>();
        var trials = new List<PlannedTrial>();
        var errors = new SpecErrorList();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var values in Configurations(definition))
        {
            var (config, shown) = Apply(definition, values);
            foreach (var seed in definition.Seeds)
            {
                var seeded = config with { Seed = seed };
                if (!seen.Add(seeded))
                {
                    continue;
                }

                Check(seeded, definition, errors, reported);
                var trialParameters = new OrderedDictionary<string, string>(shown, StringComparer.Ordinal);
                if (definition.Seeds.Count > 1)
                {
                    trialParameters["seed"] = SpecValueFormat.Format(seed);
                }

                trials.Add(new PlannedTrial(seeded, trialParameters));
            }
        }

        errors.ThrowIfAny();
        return trials;
    }

    /// <summary>
    /// One proposed configuration (a tpe proposal, one value per parameter) as a trial of the sweep: the values set on
    /// the base, the varied ones shown. Not refused here: a combination that breaks a rule spanning settings is
    /// stored and then failed by the worker's check with the setting named, so the sweep still spends its budget.
    /// </summary>
    public static PlannedTrial Proposed(SweepDefinition definition, IReadOnlyList<object?> values)
    {
        var (config, shown) = Apply(definition, values);
        return new PlannedTrial(config, shown);
    }

    private static (TrainingConfig Config, OrderedDictionary<string, string> Shown) Apply(SweepDefinition definition, IReadOnlyList<object?> values)
    {
        var parameters = definition.Parameters;
        var config = definition.Base;
        var shown = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            config = parameters[i].Field.Set(config, values[i]);
            if (parameters[i].Varies)
            {
                shown[parameters[i].Field.Name] = SpecValueFormat.Format(values[i]);
            }
        }

        return (config, shown);
    }

    private static IEnumerable<object?[]> Configurations(SweepDefinition definition) => definition.Method switch
    {
        SweepMethods.Grid => GridExpansion.Expand(definition.Parameters),
        SweepMethods.Random => RandomExpansion.Expand(definition.Parameters, definition.TrialCount, definition.SampleSeed),
        SweepMethods.Sobol => SobolExpansion.Expand(definition.Parameters, definition.TrialCount, definition.SampleSeed),
        // The startup trials that can run at once: the same samples TpeSampler.StartupSample gives trials 0, 1, ...
        SweepMethods.Tpe => RandomExpansion.Expand(definition.Parameters, definition.Search!.FixedTrials, definition.SampleSeed),
        _ => throw new InvalidOperationException($"validation admitted an unknown method '{definition.Method}'"),
    };

    // One report per setting: the first offending trial shows the problem; a thousand more would bury it.
    private static void Check(TrainingConfig config, SweepDefinition definition, SpecErrorList errors, HashSet<string> reported)
    {
        foreach (var (field, message) in ConfigConsistency.Violations(config))
        {
            var varied = definition.Parameters.Any(p => p.Field.Name == field);
            var path = $"{(varied ? "parameters" : "base")}.{field}";
            if (reported.Add(path))
            {
                errors.Add(path, message);
            }
        }
    }
}
