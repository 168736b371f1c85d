namespace Experiments.Core.Specs;

/// <summary>
/// Reads <c>parameters:</c>. Each key names a <see cref="TrainingConfig"/> setting and holds exactly one of
/// <c>value</c>, <c>values</c> or <c>distribution</c> (+ <c>min</c>, <c>max</c>); every value it can take is
/// checked against what that setting accepts.
/// </summary>
internal static class ParameterSpecReader
{
    public const string Path = "parameters";

    private static readonly string[] Keys = ["value", "values", "distribution", "min", "max"];
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform"];

    /// <param name="method">The sweep's method, or null when it was invalid (method-specific checks are skipped).</param>
    public static IReadOnlyList<ParameterSpec> Read(SpecNode? node, string? method, SweepLimits limits, SpecErrorList errors)
    {
        if (node is null || SpecScalars.IsNull(node))
        {
            return [];
        }

        var parameters = new List<ParameterSpec>();
        foreach (var (name, spec) in SpecMappings.Read(node, Path, errors, allowed: null) ?? [])
        {
            var path = SpecPath.Key(Path, name);
            if (!TrainingConfigFields.ByName.TryGetValue(name, out var field))
            {
                errors.Add(path, "unknown parameter");
            }
            else if (name == "seed")
            {
                errors.Add(path, "vary the seed with the top-level seeds list instead");
            }
            else if (spec is not SpecMapping)
            {
                errors.Add(path, $"must be a mapping with one of value, values or distribution (e.g. {{ value: ... }}), got {spec.Describe()}");
            }
            else if (ReadOne(field, spec, path, method, limits, errors) is { } parameter)
            {
                parameters.Add(parameter);
            }
        }

        return parameters;
    }

    private static ParameterSpec? ReadOne(TrainingConfigField field, SpecNode node, string path, string? method, SweepLimits limits, SpecErrorList errors)
    {
        var entries = SpecMappings.Read(node, path, errors, Keys)!;
        var forms = new[] { "value", "values", "distribution" }.Where(entries.ContainsKey).ToArray();
        if (forms.Length != 1)
        {
            errors.Add(path, forms.Length == 0 ? "needs one of value, values or distribution" : "use only one of value, values or distribution");
            return null;
        }

        if (forms[0] != "distribution")
        {
            foreach (var bound in new[] { "min", "max" }.Where(entries.ContainsKey))
            {
                errors.Add(SpecPath.Key(path, bound), "only allowed with distribution");
            }
        }

        return forms[0] switch
        {
            "value" => FieldValueReader.TryRead(field, entries["value"], SpecPath.Key(path, "value"), limits, errors, out var value)
                ? new FixedParameter(field, value)
                : null,
            "values" => ReadValues(field, entries["values"], SpecPath.Key(path, "values"), limits, errors),
            _ => ReadRange(field, entries, path, method, limits, errors),
        };
    }

    private static ChoiceParameter? ReadValues(TrainingConfigField field, SpecNode node, string path, SweepLimits limits, SpecErrorList errors)
    {
        if (node is not SpecSequence sequence)
        {
            errors.Add(path, $"must be a list, got {node.Describe()}");
            return null;
        }

        if (sequence.Items.Count == 0)
        {
            errors.Add(path, "must not be empty");
            return null;
        }

        // No sweep can run more values than trials; refusing here also bounds the work of checking them.
        if (sequence.Items.Count > limits.MaxTrials)
        {
            errors.Add(path, $"must have at most {limits.MaxTrials} entries");
            return null;
        }

        var values = new List<object?>();
        var valid = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (FieldValueReader.TryRead(field, sequence.Items[i], SpecPath.Index(path, i), limits, errors, out var value))
            {
                values.Add(value);
            }
            else
            {
                valid = false;
            }
        }

        return valid ? new ChoiceParameter(field, values) : null;
    }

    private static RangeParameter? ReadRange(
        TrainingConfigField field, OrderedDictionary<string, SpecNode> entries, string path, string? method, SweepLimits limits, SpecErrorList errors)
    {
        var distributionPath = SpecPath.Key(path, "distribution");
        if (!SpecScalars.TryChoice(entries["distribution"], distributionPath, Distributions, errors, out var name))
        {
            return null;
        }

        var distribution = name switch
        {
            "log_uniform" => Distribution.LogUniform,
            "int_uniform" => Distribution.IntUniform,
            _ => Distribution.Uniform,
        };
        var problem = (method, field.Kind, distribution) switch
        {
            (SweepMethods.Grid, _, _) => "a grid needs value or values; distributions need method random, sobol or tpe",
            (_, not (FieldKind.Integer or FieldKind.Real), _) => $"{field.Name} is not numeric; use values",
            (_, FieldKind.Integer, not Distribution.IntUniform) => $"{field.Name} takes whole numbers; use int_uniform",
            (_, FieldKind.Real, Distribution.IntUniform) => $"{field.Name} is not a whole-number setting; use uniform or log_uniform",
            _ => null,
        };
        if (problem is not null)
        {
            errors.Add(distributionPath, problem);
            return null;
        }

        var hasMin = TryBound(field, distribution, entries, path, "min", limits, errors, out var min);
        var hasMax = TryBound(field, distribution, entries, path, "max", limits, errors, out var max);
        if (!hasMin || !hasMax)
        {
            return null;
        }

        if (distribution == Distribution.LogUniform && min <= 0)
        {
            errors.Add(SpecPath.Key(path, "min"), "must be > 0 for log_uniform");
            return null;
        }

        if (min >= max)
        {
            errors.Add(SpecPath.Key(path, "max"), "must be greater than min");
            return null;
        }

        return new RangeParameter(field, distribution, min, max);
    }

    private static bool TryBound(
        TrainingConfigField field, Distribution distribution, OrderedDictionary<string, SpecNode> entries, string path, string key, SweepLimits limits, SpecErrorList errors, out double bound)
    {
        bound = 0;
        var boundPath = SpecPath.Key(path, key);
        if (!entries.TryGetValue(key, out var node))
        {
            errors.Add(boundPath, "required with distribution");
            return false;
        }

        if (distribution != Distribution.IntUniform)
        {
            return FieldValueReader.TryReal(field, node, boundPath, limits, errors, out bound);
        }

        var read = SpecScalars.TryInteger(node, boundPath, field.Range(limits), errors, out var integer);
        bound = integer;
        return read;
    }
}
