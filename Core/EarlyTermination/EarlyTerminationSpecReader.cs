using Experiments.Core.Specs;

namespace Experiments.Core.EarlyTermination;

/// <summary>
/// Reads a sweep file's <c>early_termination</c> block into an <see cref="EarlyTerminationSpec"/>, reporting every
/// problem at its path. Wiring into the sweep validator is one line:
/// <c>EarlyTerminationSpecReader.Read(entries.GetValueOrDefault("early_termination"), config.Epochs, metric.Name, limits, errors)</c>.
/// </summary>
internal static class EarlyTerminationSpecReader
{
    private static readonly string[] AllKeys = ["type", "min_epochs", "reduction_factor", "max_epochs", "startup_trials", "warmup_epochs"];

    // Ranges are the spec's own rule (Validate); here only "is it a whole number".
    private static readonly NumericRange AnyInteger = NumericRange.Between(int.MinValue, int.MaxValue);

    /// <returns>The block, or null when it is absent, null, or too broken to read (the errors say why).</returns>
    public static EarlyTerminationSpec? Read(SpecNode? node, int sweepEpochs, string metricName, SweepLimits limits, SpecErrorList errors)
    {
        if (node is null || SpecScalars.IsNull(node))
        {
            return null;
        }

        const string path = EarlyTerminationSpec.Key;
        var entries = SpecMappings.Read(node, path, errors, AllKeys, $"unknown key (allowed: {string.Join(", ", AllKeys)})");
        if (entries is null)
        {
            return null;
        }

        if (!entries.TryGetValue("type", out var typeNode))
        {
            errors.Add($"{path}.type", $"required: one of {string.Join(", ", EarlyTerminationTypes.Names)}");
            return null;
        }

        if (!SpecScalars.TryChoice(typeNode, $"{path}.type", EarlyTerminationTypes.Names, errors, out var typeName))
        {
            return null;
        }

        EarlyTerminationTypes.TryParse(typeName, out var type);
        var allowed = EarlyTerminationSpec.KeysFor(type);
        foreach (var key in entries.Keys.Where(k => !allowed.Contains(k)))
        {
            var owners = EarlyTerminationTypes.Names.Where((_, i) => EarlyTerminationSpec.KeysFor((EarlyTerminationType)i).Contains(key)).ToList();
            var verb = owners.Count == 1 ? "takes" : "take";
            errors.Add($"{path}.{key}", $"only {string.Join(" and ", owners)} {verb} {key}; {typeName} takes {string.Join(", ", allowed.Skip(1))}");
        }

        var spec = new EarlyTerminationSpec(type);
        spec = spec with
        {
            MinEpochs = Integer(entries, "min_epochs", errors) ?? spec.MinEpochs,
            ReductionFactor = Integer(entries, "reduction_factor", errors) ?? spec.ReductionFactor,
            MaxEpochs = Integer(entries, "max_epochs", errors) ?? spec.MaxEpochs,
            StartupTrials = Integer(entries, "startup_trials", errors) ?? spec.StartupTrials,
            WarmupEpochs = Integer(entries, "warmup_epochs", errors) ?? spec.WarmupEpochs,
        };

        foreach (var error in spec.Validate(sweepEpochs, metricName, limits.MaxEpochs, path))
        {
            errors.Add(error.Path, error.Message);
        }

        return spec;
    }

    private static int? Integer(OrderedDictionary<string, SpecNode> entries, string key, SpecErrorList errors) =>
        entries.TryGetValue(key, out var node) && SpecScalars.TryInteger(node, $"{EarlyTerminationSpec.Key}.{key}", AnyInteger, errors, out var value)
            ? value
            : null;
}
