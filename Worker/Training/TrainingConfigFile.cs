using Experiments.Core.Specs;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Experiments.Worker.Training;

/// <summary>
/// Reads a <see cref="TrainingConfig"/> in snake_case from YAML or JSON: either a bare config or a sweep file, whose
/// <c>base:</c> section is taken. Unknown keys are errors, so a typo does not silently train the default.
/// </summary>
public static class TrainingConfigFile
{
    public static TrainingConfig Parse(string text)
    {
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(text)
            ?? throw new FormatException("The config file is empty.");
        object? section = root.TryGetValue("base", out var baseSection) ? baseSection : root;
        string yaml = new SerializerBuilder().Build().Serialize(section ?? new Dictionary<string, object?>());
        return new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build()
            .Deserialize<TrainingConfig?>(yaml) ?? new TrainingConfig();
    }
}
