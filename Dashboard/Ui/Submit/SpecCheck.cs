using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Submit;

/// <summary>The outcome of checking a sweep file: its errors (with paths), or a preview of what would run.</summary>
public sealed record SpecCheck(IReadOnlyList<SpecError> Errors, SweepPreview? Preview)
{
    public bool IsValid => Errors.Count == 0 && Preview is not null;

    public static SpecCheck Invalid(IReadOnlyList<SpecError> errors) => new(errors, null);
}

/// <summary>What a valid sweep file would run and roughly how long it would take.</summary>
/// <param name="VaryingKeys">The parameters that differ between the planned trials.</param>
/// <param name="Estimate">Estimated training time, run one trial after another on one worker.</param>
public sealed record SweepPreview(SweepPlan Plan, IReadOnlyList<string> VaryingKeys, DurationEstimate Estimate)
{
    /// <summary>How the preview shows the planned trials' parameters: as the Sweep page will.</summary>
    public Charts.ParameterFormat Format { get; } = Charts.ParameterFormat.Of(Plan.Trials.Select(t => t.Parameters));
}
