using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>A training config as (snake_case name, value) pairs, in the order and spelling of a sweep file.</summary>
public static class ConfigFields
{
    public static IReadOnlyList<string> Names => TrainingConfigSettings.Names;

    public static IReadOnlyList<(string Name, string Value)> Of(TrainingConfig config) =>
        [.. TrainingConfigSettings.Of(config).Select(s => (s.Name, s.Value ?? ""))];

    /// <summary>Rows of a side-by-side diff: each field with its value per config and whether they differ.</summary>
    public static IReadOnlyList<ConfigDiffRow> Diff(IReadOnlyList<TrainingConfig> configs)
    {
        var values = configs.Select(Of).ToList();
        return Names.Select((name, i) =>
        {
            var row = values.Select(v => v[i].Value).ToArray();
            var format = Charts.ParameterFormat.Of(name, row);
            return new ConfigDiffRow(name, [.. row.Select(v => format.Format(name, v))], row.Distinct(StringComparer.Ordinal).Count() > 1);
        }).ToArray();
    }
}

/// <summary>One field across the compared configs.</summary>
public sealed record ConfigDiffRow(string Name, IReadOnlyList<string> Values, bool Differs);
