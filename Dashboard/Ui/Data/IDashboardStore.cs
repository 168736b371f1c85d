using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Data;

/// <summary>
/// What the Dashboard UI reads from and asks of the store. In the app it is <see cref="DashboardStore"/> over
/// <c>SweepStore</c>; component tests and the in-memory benchmark feed it directly.
/// </summary>
public interface IDashboardStore
{
    /// <summary>How many sweeps there are (one cheap read: tells whether any were submitted).</summary>
    Task<long> CountSweepsAsync(CancellationToken cancellationToken);

    /// <summary>Every sweep id, newest first.</summary>
    Task<IReadOnlyList<string>> ListSweepIdsAsync(CancellationToken cancellationToken);

    /// <summary>Sweeps with their status counts, without their source text.</summary>
    Task<IReadOnlyList<SweepSummary>> GetSweepSummariesAsync(IReadOnlyList<string> sweepIds, CancellationToken cancellationToken);

    /// <summary>Calls back with the sweep or trial id named when work is queued (submit, requeue), null after a reconnect.</summary>
    Task SubscribeToChangesAsync(Action<string?> onChange);

    /// <summary>The sweep without its source text (no page shows it; it can be a megabyte).</summary>
    Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken);
    Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken);
    /// <summary>These trials, in the order given (unknown ids left out).</summary>
    Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(IReadOnlyList<string> trialIds, CancellationToken cancellationToken);

    Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken);
    Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>Every early-termination decision recorded for the trial, in epoch order (empty without a rule).</summary>
    Task<IReadOnlyList<TrialDecision>> GetDecisionsAsync(string trialId, CancellationToken cancellationToken);

    Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken);
    Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken);
    Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken);
    Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>Removes the sweep's records; null when there is no such sweep.</summary>
    Task<DeletedSweep?> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>The sweep file as submitted (or as last grown from); null when there is no such sweep.</summary>
    Task<string?> GetSweepSourceAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the trials <paramref name="plan"/> returns for the sweep and its current trials, atomically (see
    /// <c>SweepStore.AddTrialsAsync</c>); null when there is no such sweep.
    /// </summary>
    /// <exception cref="SweepClosedException">The sweep was deleted or cancelled, or takes no added trials.</exception>
    Task<GrownSweep?> AddTrialsAsync(string sweepId, Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> plan, string? traceParent, CancellationToken cancellationToken);
}
