namespace Experiments.Core.Specs;

/// <summary>A sweep file that passed validation, ready to expand into trials.</summary>
/// <param name="TrialCount">Configurations to sample (random and sobol) or to propose (tpe); 0 for grid.</param>
/// <param name="Seeds">Each configuration runs once per seed; one seed means no <c>seed</c> column.</param>
internal sealed record SweepDefinition(
    string Name,
    string Method,
    SweepMetric Metric,
    int TrialCount,
    ulong SampleSeed,
    IReadOnlyList<int> Seeds,
    TrainingConfig Base,
    IReadOnlyList<ParameterSpec> Parameters)
{
    /// <summary>tpe only: random trials before the model is used, and the most trials queued or running at once.</summary>
    public SearchBudget? Search { get; init; }

    /// <summary>The <c>early_termination</c> block (max_epochs resolved), or null when the sweep has none.</summary>
    public EarlyTermination.EarlyTerminationSpec? EarlyTermination { get; init; }
}
