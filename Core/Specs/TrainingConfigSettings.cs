namespace Experiments.Core.Specs;

/// <summary>A config as its settings, in the order and spelling of a sweep file: for tables, diffs and console lines.</summary>
public static class TrainingConfigSettings
{
    /// <summary>Every setting's snake_case name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. TrainingConfigFields.All.Select(f => f.Name)];

    /// <summary>Each setting with its value as a sweep file writes it (<c>crop_flip</c>, <c>cuda:1</c>, <c>0.001</c>); null when unset.</summary>
    public static IReadOnlyList<(string Name, string? Value)> Of(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. TrainingConfigFields.All.Select(f => (f.Name, f.Get(config) is { } value ? SpecValueFormat.Format(value) : null))];
    }
}
