using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Data;

/// <summary>The store the app uses: straight through to <see cref="SweepStore"/>, which DI provides.</summary>
public sealed class DashboardStore(SweepStore store) : IDashboardStore
{
    public Task<long> CountSweepsAsync(CancellationToken cancellationToken) => store.CountSweepsAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListSweepIdsAsync(CancellationToken cancellationToken) => store.ListSweepIdsAsync(cancellationToken);

    public Task<IReadOnlyList<SweepSummary>> GetSweepSummariesAsync(IReadOnlyList<string> sweepIds, CancellationToken cancellationToken) =>
        store.GetSweepSummariesAsync(sweepIds, cancellationToken);

    public Task SubscribeToChangesAsync(Action<string?> onChange) => store.SubscribeToChangesAsync(onChange);

    public async Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        (await store.GetSweepSummaryAsync(sweepId, cancellationToken).ConfigureAwait(false))?.Sweep;

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken) =>
        store.GetTrialsAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(IReadOnlyList<string> trialIds, CancellationToken cancellationToken) =>
        store.GetTrialsAsync(trialIds, cancellationToken);

    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken) =>
        store.GetTrialAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken) =>
        store.GetEpochsAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<TrialDecision>> GetDecisionsAsync(string trialId, CancellationToken cancellationToken) =>
        store.GetDecisionsAsync(trialId, cancellationToken);

    public Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken) =>
        store.SubmitAsync(plan, traceParent, cancellationToken);

    public Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        store.CancelSweepAsync(sweepId, cancellationToken);

    public Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken) =>
        store.CancelTrialAsync(trialId, cancellationToken);

    public Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken) =>
        store.RequeueTrialAsync(trialId, cancellationToken);

    public Task<DeletedSweep?> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        store.DeleteSweepAsync(sweepId, cancellationToken);

    public async Task<string?> GetSweepSourceAsync(string sweepId, CancellationToken cancellationToken) =>
        (await store.GetSweepAsync(sweepId, cancellationToken).ConfigureAwait(false))?.SourceText;

    public Task<GrownSweep?> AddTrialsAsync(string sweepId, Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> plan, string? traceParent, CancellationToken cancellationToken) =>
        store.AddTrialsAsync(sweepId, plan, traceParent, cancellationToken);
}
