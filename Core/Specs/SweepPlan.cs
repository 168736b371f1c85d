namespace Experiments.Core.Specs;

/// <summary>A validated sweep expanded into the distinct trial configurations to run.</summary>
/// <param name="Name">The sweep's name from its file.</param>
/// <param name="Method"><c>grid</c>, <c>random</c> or <c>sobol</c>.</param>
/// <param name="Metric">The metric the sweep optimises.</param>
/// <param name="SourceText">The file as submitted, kept with the record.</param>
/// <param name="Trials">One entry per trial, deduplicated, in expansion order.</param>
public sealed record SweepPlan(
    string Name,
    string Method,
    SweepMetric Metric,
    string SourceText,
    IReadOnlyList<PlannedTrial> Trials)
{
    /// <summary>The sweep's <c>early_termination</c> block with <c>max_epochs</c> resolved; null when it has none.</summary>
    public EarlyTermination.EarlyTerminationSpec? EarlyTermination { get; init; }
}

/// <summary>The metric a sweep optimises, e.g. <c>val_accuracy</c> with goal <c>maximize</c>.</summary>
public sealed record SweepMetric(string Name, string Goal);

/// <summary>One trial: its full config and just the parameters the sweep varied (for tables and diffs).</summary>
public sealed record PlannedTrial(TrainingConfig Config, IReadOnlyDictionary<string, string> Parameters);
