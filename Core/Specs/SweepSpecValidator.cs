using Experiments.Core.EarlyTermination;
using Experiments.Core.Records;

namespace Experiments.Core.Specs;

/// <summary>
/// Checks a sweep document top to bottom, collecting every problem before giving up, and sizes the plan
/// arithmetically so an oversized sweep is refused before a single trial is expanded.
/// </summary>
internal static class SweepSpecValidator
{
    public const int MaxNameLength = 100;

    // A sweep-level block is read beside metric and listed here.
    public static readonly IReadOnlyList<string> TopLevelKeys =
        ["name", "method", "metric", "trial_count", "sample_seed", "startup_trials", "max_concurrent", "seeds", "base", "parameters", EarlyTerminationSpec.Key];
    private static readonly string[] MetricKeys = ["name", "goal", MetricTargetReader.Key];
    private static readonly string[] MetricNames = [.. MetricDefinition.Objectives.Select(m => m.Name)];
    private static readonly string[] Goals = ["maximize", "minimize"];
    private static readonly SweepMetric DefaultMetric = new("val_accuracy", "maximize");

    /// <summary>Optuna's <c>n_startup_trials</c> default.</summary>
    private const int DefaultStartupTrials = 10;

    public static SweepDefinition Validate(SpecNode root, SweepLimits limits)
    {
        var errors = new SpecErrorList();
        var entries = SpecMappings.Read(root, string.Empty, errors, TopLevelKeys, $"unknown key (allowed: {string.Join(", ", TopLevelKeys)})");
        if (entries is null)
        {
            throw new SweepSpecException(errors.ToList());
        }

        var name = ReadName(entries.GetValueOrDefault("name"), errors);
        var method = ReadMethod(entries.GetValueOrDefault("method"), errors);
        var metric = ReadMetric(entries.GetValueOrDefault("metric"), errors);
        var sampled = SweepMethods.Samples(method);
        var trialCount = ReadTrialCount(entries.GetValueOrDefault("trial_count"), method, sampled, limits, errors);
        var sampleSeed = ReadSampleSeed(entries.GetValueOrDefault("sample_seed"), method, errors);
        var config = TrainingConfigBinder.Bind(entries.GetValueOrDefault(TrainingConfigBinder.BasePath), TrainingConfigBinder.BasePath, limits, errors);
        var seeds = ReadSeeds(entries.GetValueOrDefault("seeds"), config.Seed, limits, errors);
        var search = ReadSearch(entries, method, trialCount, (ulong)sampleSeed, seeds.Count, limits, errors);
        var parameters = ParameterSpecReader.Read(entries.GetValueOrDefault("parameters"), method, limits, errors);
        CheckSize(method, trialCount, seeds.Count, parameters, limits, errors);
        var earlyTermination = ReadEarlyTermination(entries.GetValueOrDefault(EarlyTerminationSpec.Key), config, parameters, metric, limits, errors);

        errors.ThrowIfAny();
        return new SweepDefinition(name, method!, metric, trialCount, (ulong)sampleSeed, seeds, config, parameters)
        {
            Search = search,
            EarlyTermination = earlyTermination,
        };
    }

    private static string ReadName(SpecNode? node, SpecErrorList errors)
    {
        if (node is null)
        {
            errors.Add("name", "required");
            return string.Empty;
        }

        if (!SpecScalars.TryString(node, "name", errors, out var name))
        {
            return string.Empty;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name", "must not be empty");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"must be at most {MaxNameLength} characters");
        }
        else if (name.Any(char.IsControl))
        {
            errors.Add("name", "must not contain control characters");
        }

        return name;
    }

    private static string? ReadMethod(SpecNode? node, SpecErrorList errors)
    {
        if (node is null)
        {
            errors.Add("method", $"required: one of {string.Join(", ", SweepMethods.All)}");
            return null;
        }

        return SpecScalars.TryChoice(node, "method", SweepMethods.All, errors, out var method) ? method : null;
    }

    private static SweepMetric ReadMetric(SpecNode? node, SpecErrorList errors)
    {
        if (node is null)
        {
            return DefaultMetric;
        }

        var entries = SpecMappings.Read(node, "metric", errors, MetricKeys);
        if (entries is null)
        {
            return DefaultMetric;
        }

        var name = ReadRequiredChoice(entries, "metric", "name", MetricNames, errors);
        var goal = ReadRequiredChoice(entries, "metric", "goal", Goals, errors);
        var target = MetricTargetReader.Read(entries.GetValueOrDefault(MetricTargetReader.Key), name, errors);
        return new SweepMetric(name ?? DefaultMetric.Name, goal ?? DefaultMetric.Goal) { Target = target };
    }

    /// <summary>
    /// The block with <c>max_epochs</c> resolved (asha, hyperband): its default is the most epochs any trial runs,
    /// base epochs unless the sweep varies <c>epochs</c>. Stored resolved, so a record says where its rungs are.
    /// </summary>
    private static EarlyTerminationSpec? ReadEarlyTermination(
        SpecNode? node, TrainingConfig config, IReadOnlyList<ParameterSpec> parameters, SweepMetric metric, SweepLimits limits, SpecErrorList errors)
    {
        var sweepEpochs = MostEpochs(config, parameters);
        var spec = EarlyTerminationSpecReader.Read(node, sweepEpochs, metric.Name, limits, errors);
        return spec is null || spec.Type == EarlyTerminationType.Median ? spec : spec with { MaxEpochs = spec.ResolveMaxEpochs(sweepEpochs) };
    }

    private static int MostEpochs(TrainingConfig config, IReadOnlyList<ParameterSpec> parameters) =>
        parameters.LastOrDefault(p => p.Field.Name == "epochs") switch
        {
            FixedParameter { Value: int epochs } => epochs,
            ChoiceParameter choice => choice.Values.OfType<int>().DefaultIfEmpty(config.Epochs).Max(),
            RangeParameter range => (int)Math.Min(int.MaxValue, range.TopOfGrid),
            _ => config.Epochs,
        };

    private static string? ReadRequiredChoice(OrderedDictionary<string, SpecNode> entries, string parent, string key, IReadOnlyList<string> choices, SpecErrorList errors)
    {
        var path = SpecPath.Key(parent, key);
        if (!entries.TryGetValue(key, out var node))
        {
            errors.Add(path, $"required: one of {string.Join(", ", choices)}");
            return null;
        }

        return SpecScalars.TryChoice(node, path, choices, errors, out var value) ? value : null;
    }

    private static int ReadTrialCount(SpecNode? node, string? method, bool sampled, SweepLimits limits, SpecErrorList errors)
    {
        if (method == SweepMethods.Grid && node is not null)
        {
            errors.Add("trial_count", "only random, sobol and tpe sweeps take trial_count; a grid runs every combination");
            return 0;
        }

        if (!sampled)
        {
            return 0;
        }

        if (node is null)
        {
            errors.Add("trial_count", $"required for {method} sweeps");
            return 0;
        }

        return SpecScalars.TryInteger(node, "trial_count", NumericRange.Between(1, limits.MaxTrials), errors, out var count) ? count : 0;
    }

    private static int ReadSampleSeed(SpecNode? node, string? method, SpecErrorList errors)
    {
        if (node is null)
        {
            return 0;
        }

        if (method == SweepMethods.Grid)
        {
            errors.Add("sample_seed", "only random, sobol and tpe sweeps sample; a grid has nothing to seed");
            return 0;
        }

        return SpecScalars.TryInteger(node, "sample_seed", NumericRange.Between(0, int.MaxValue), errors, out var seed) ? seed : 0;
    }

    /// <summary>
    /// tpe's <c>startup_trials</c> (default Optuna's 10, at most the budget) and <c>max_concurrent</c> (default: no
    /// limit but the workers). Other methods refuse both: they create every trial at submit.
    /// </summary>
    private static SearchBudget? ReadSearch(
        OrderedDictionary<string, SpecNode> entries, string? method, int trialCount, ulong sampleSeed, int seedCount, SweepLimits limits, SpecErrorList errors)
    {
        var startupNode = entries.GetValueOrDefault("startup_trials");
        var concurrentNode = entries.GetValueOrDefault("max_concurrent");
        if (method != SweepMethods.Tpe)
        {
            foreach (var key in new[] { "startup_trials", "max_concurrent" }.Where(entries.ContainsKey))
            {
                errors.Add(key, "only tpe sweeps take " + key + "; other methods create every trial at submit");
            }

            return null;
        }

        // One trial per proposal: the model learns from each configuration's result, so repeats over seeds would
        // spend the budget without telling it anything new.
        if (seedCount > 1)
        {
            errors.Add("seeds", "tpe runs each proposed configuration once; set base.seed instead of a seeds list");
        }

        var startup = Math.Min(DefaultStartupTrials, Math.Max(trialCount, 1));
        if (startupNode is not null && !SpecScalars.TryInteger(startupNode, "startup_trials", NumericRange.Between(1, limits.MaxTrials), errors, out startup))
        {
            startup = 1;
        }

        var concurrent = Math.Max(trialCount, 1);
        if (concurrentNode is not null && !SpecScalars.TryInteger(concurrentNode, "max_concurrent", NumericRange.Between(1, limits.MaxTrials), errors, out concurrent))
        {
            concurrent = 1;
        }

        if (startupNode is not null && trialCount > 0 && startup > trialCount)
        {
            errors.Add("startup_trials", $"must be at most trial_count ({trialCount})");
        }

        return new SearchBudget(Math.Max(trialCount, 1), startup, concurrent, sampleSeed);
    }

    private static IReadOnlyList<int> ReadSeeds(SpecNode? node, int baseSeed, SweepLimits limits, SpecErrorList errors)
    {
        if (node is null)
        {
            return [baseSeed];
        }

        if (node is not SpecSequence sequence)
        {
            errors.Add("seeds", $"must be a list of seeds, got {node.Describe()}");
            return [baseSeed];
        }

        if (sequence.Items.Count == 0 || sequence.Items.Count > limits.MaxSeeds)
        {
            errors.Add("seeds", sequence.Items.Count == 0 ? "must not be empty" : $"must have at most {limits.MaxSeeds} entries");
            return [baseSeed];
        }

        var seeds = new List<int>();
        var seedRange = TrainingConfigFields.ByName["seed"].Range(limits);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = SpecPath.Index("seeds", i);
            if (!SpecScalars.TryInteger(sequence.Items[i], path, seedRange, errors, out var seed))
            {
                continue;
            }

            if (seeds.Contains(seed))
            {
                errors.Add(path, $"duplicate seed {seed}");
                continue;
            }

            seeds.Add(seed);
        }

        return seeds.Count == 0 ? [baseSeed] : seeds;
    }

    // Arithmetic, not enumeration: a grid of 10^12 is refused in microseconds. Saturates instead of overflowing.
    private static void CheckSize(string? method, int trialCount, int seedCount, IReadOnlyList<ParameterSpec> parameters, SweepLimits limits, SpecErrorList errors)
    {
        if (method is null)
        {
            return;
        }

        var configurations = method == SweepMethods.Grid
            ? parameters.OfType<ChoiceParameter>().Aggregate(1L, (product, p) => SaturatingMultiply(product, p.Values.Count))
            : trialCount;
        var trials = SaturatingMultiply(configurations, seedCount);
        if (trials > limits.MaxTrials)
        {
            var what = method == SweepMethods.Grid ? $"the grid has {Count(configurations)} combinations" : $"{trialCount} samples";
            errors.Add(method == SweepMethods.Grid ? ParameterSpecReader.Path : "trial_count",
                $"{what} x {seedCount} seeds = {Count(trials)} trials; at most {limits.MaxTrials} are allowed");
        }

        var dimensions = parameters.Count(p => p.Varies);
        if (method == SweepMethods.Sobol && dimensions > SobolSequence.MaxDimensions)
        {
            errors.Add(ParameterSpecReader.Path, $"sobol supports at most {SobolSequence.MaxDimensions} varied parameters, got {dimensions}");
        }
    }

    private static long SaturatingMultiply(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;

    private static string Count(long value) => value == long.MaxValue ? "more than 9223372036854775806" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
