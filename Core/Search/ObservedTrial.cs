namespace Experiments.Core.Search;

/// <summary>Where a trial stands, as a model-based search sees it.</summary>
internal enum ObservedState
{
    /// <summary>Finished with its metric: ranked by <see cref="ObservedTrial.Value"/>.</summary>
    Complete,

    /// <summary>Stopped early: ranked by (last epoch reached, metric there), behind every complete trial.</summary>
    Pruned,

    /// <summary>Created and not finished (queued or running): under the constant liar, counted as the worst result.</summary>
    Pending,

    /// <summary>Failed or cancelled: no result, ignored by the model (still never proposed again as a duplicate).</summary>
    Failed,
}

/// <summary>The metric recorded at one epoch (Optuna's intermediate value at a step).</summary>
internal readonly record struct IntermediateValue(int Step, double Value);

/// <summary>
/// One earlier trial of the sweep: its number (creation order), state, the value of every parameter (aligned with
/// <see cref="SearchSpace.Parameters"/>: each parameter's <c>Field.Get</c> of the trial's config) and its results.
/// </summary>
internal sealed record ObservedTrial(int Number, ObservedState State, IReadOnlyList<object?> Values)
{
    /// <summary>The final metric of a <see cref="ObservedState.Complete"/> trial.</summary>
    public double? Value { get; init; }

    /// <summary>The metric per epoch; a pruned trial is ranked by the last of these.</summary>
    public IReadOnlyList<IntermediateValue> Intermediate { get; init; } = [];
}
