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
    Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken cancellationToken);
    Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken);
    Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken);
    Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken);
    Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken);

    Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken);
    Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken);
    Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken);
    Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>Removes the sweep's records; null when there is no such sweep.</summary>
    Task<DeletedSweep?> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken);
}
