using System.Globalization;
using System.Reflection;
using System.Text;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Models;

/// <summary>A training config as (snake_case name, value) pairs, in declaration order, as sweep files spell them.</summary>
public static class ConfigFields
{
    private static readonly PropertyInfo[] Properties = typeof(TrainingConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
        .ToArray();

    public static IReadOnlyList<string> Names { get; } = Properties.Select(p => SnakeCase(p.Name)).ToArray();

    public static IReadOnlyList<(string Name, string Value)> Of(TrainingConfig config) =>
        Properties.Select(p => (SnakeCase(p.Name), Format(p.GetValue(config)))).ToArray();

    /// <summary>Rows of a side-by-side diff: each field with its value per config and whether they differ.</summary>
    public static IReadOnlyList<ConfigDiffRow> Diff(IReadOnlyList<TrainingConfig> configs)
    {
        var values = configs.Select(Of).ToList();
        return Names.Select((name, i) =>
        {
            var row = values.Select(v => v[i].Value).ToArray();
            return new ConfigDiffRow(name, row, row.Distinct(StringComparer.Ordinal).Count() > 1);
        }).ToArray();
    }

    public static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>One field across the compared configs.</summary>
public sealed record ConfigDiffRow(string Name, IReadOnlyList<string> Values, bool Differs);
