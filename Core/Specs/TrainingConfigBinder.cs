namespace Experiments.Core.Specs;

/// <summary>Reads a mapping of training settings (a sweep's <c>base:</c>, a bare config file); omitted settings keep the notebook's defaults.</summary>
internal static class TrainingConfigBinder
{
    public const string BasePath = "base";

    /// <param name="path">Where the mapping is (<see cref="BasePath"/>, or empty for a whole bare config file).</param>
    public static TrainingConfig Bind(SpecNode? node, string path, SweepLimits limits, SpecErrorList errors)
    {
        var config = new TrainingConfig();
        if (node is null || SpecScalars.IsNull(node))
        {
            return config;
        }

        var entries = SpecMappings.Read(node, path, errors, TrainingConfigFields.ByName.Keys, "unknown key: not a training setting");
        foreach (var (key, value) in entries ?? [])
        {
            var field = TrainingConfigFields.ByName[key];
            if (FieldValueReader.TryRead(field, value, SpecPath.Key(path, key), limits, errors, out var bound))
            {
                config = field.Set(config, bound);
            }
        }

        return config;
    }
}
