namespace Experiments.Core.Specs;

/// <summary>Reads <c>base:</c> into a <see cref="TrainingConfig"/>; settings it omits keep the notebook's defaults.</summary>
internal static class TrainingConfigBinder
{
    public const string Path = "base";

    public static TrainingConfig Bind(SpecNode? node, SweepLimits limits, SpecErrorList errors)
    {
        var config = new TrainingConfig();
        if (node is null || SpecScalars.IsNull(node))
        {
            return config;
        }

        var entries = SpecMappings.Read(node, Path, errors, TrainingConfigFields.ByName.Keys, "unknown key: not a training setting");
        foreach (var (key, value) in entries ?? [])
        {
            var field = TrainingConfigFields.ByName[key];
            if (FieldValueReader.TryRead(field, value, SpecPath.Key(Path, key), limits, errors, out var bound))
            {
                config = field.Set(config, bound);
            }
        }

        return config;
    }
}
