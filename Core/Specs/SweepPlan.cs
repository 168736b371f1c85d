namespace Experiments.Core.Specs;

/// <summary>A validated sweep expanded into the distinct trial configurations to run.</summary>
/// <param name="Name">The sweep's name from its file.</param>
/// <param name="Method"><c>grid</c>, <c>random</c> or <c>sobol</c>.</param>
/// <param name="Metric">The metric the sweep optimises.</param>
/// <param name="SourceText">The file as submitted, kept with the record.</param>
/// <param name="Trials">
/// One entry per trial, deduplicated, in expansion order. For tpe: the trials known at submit (the first random
/// startup trials, up to <c>max_concurrent</c>); the rest of <see cref="Search"/>'s budget is proposed later.
/// </param>
public sealed record SweepPlan(
    string Name,
    string Method,
    SweepMetric Metric,
    string SourceText,
    IReadOnlyList<PlannedTrial> Trials)
{
    /// <summary>tpe only: the budget and pacing of trials proposed as results come in; null for other methods.</summary>
    public SearchBudget? Search { get; init; }

    /// <summary>The sweep's <c>early_termination</c> block with <c>max_epochs</c> resolved; null when it has none.</summary>
    public EarlyTermination.EarlyTerminationSpec? EarlyTermination { get; init; }
}

/// <summary>
/// A model-based sweep's budget: <paramref name="TrialCount"/> trials in all, the first
/// <paramref name="StartupTrials"/> random, at most <paramref name="MaxConcurrent"/> queued or running at once.
/// </summary>
public sealed record SearchBudget(int TrialCount, int StartupTrials, int MaxConcurrent, ulong SampleSeed)
{
    /// <summary>Trials created at submit: the startup samples need no results, as many as may run at once.</summary>
    public int FixedTrials => Math.Min(Math.Min(StartupTrials, MaxConcurrent), TrialCount);
}

/// <summary>The metric a sweep optimises, e.g. <c>val_accuracy</c> with goal <c>maximize</c>.</summary>
public sealed record SweepMetric(string Name, string Goal)
{
    /// <summary>
    /// The value every trial is timed to (<c>metric.target</c>): the first epoch at which the metric reaches it (at
    /// least it when maximizing, at most it when minimizing) is recorded with the training time up to it; null: none.
    /// </summary>
    public double? Target { get; init; }

    /// <summary>True when <paramref name="value"/> reaches <see cref="Target"/> (never when there is none or it is not finite).</summary>
    public bool Reaches(double value) =>
        Target is { } target && double.IsFinite(value) && (Goal == "minimize" ? value <= target : value >= target);
}

/// <summary>One trial: its full config and just the parameters the sweep varied (for tables and diffs).</summary>
public sealed record PlannedTrial(TrainingConfig Config, IReadOnlyDictionary<string, string> Parameters);
