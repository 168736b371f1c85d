namespace Experiments.Core.Records;

/// <summary>What adding trials to a sweep did: the trials it queued and how many of those asked for it already had.</summary>
/// <param name="AddedTrialIds">The new trials, queued; empty when the sweep already had every configuration asked for.</param>
/// <param name="AlreadyInSweep">Configurations asked for that the sweep already runs (left out: none runs twice).</param>
/// <param name="TrialCount">The sweep's trials now.</param>
public sealed record GrownSweep(string SweepId, IReadOnlyList<string> AddedTrialIds, int AlreadyInSweep, int TrialCount);

/// <summary>Why a sweep takes no trials: it was deleted or cancelled, or its method proposes trials itself.</summary>
public sealed class SweepClosedException(string message) : InvalidOperationException(message);
