using Experiments.Dashboard.Ui.Data;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.DashboardScale;

/// <summary>
/// The scale sweep held in memory behind the UI's store interface: measures the Dashboard alone, without a
/// store (use it until the real store lands, and to separate UI cost from store cost afterwards).
/// </summary>
internal sealed class SyntheticStore : IDashboardStore
{
    public const string SweepId = "scale";
    private static readonly DateTimeOffset Created = DateTimeOffset.UtcNow.AddHours(-30);

    private readonly SweepRecord _sweep;
    private readonly Dictionary<string, TrialRecord> _trials;
    private readonly Dictionary<string, IReadOnlyList<EpochMetrics>> _epochs;

    public SyntheticStore()
    {
        var plan = ScaleSweep.Plan();
        var ids = plan.Trials.Select((_, i) => $"scale-t{i:0000}").ToList();
        _sweep = new SweepRecord(SweepId, plan.Name, plan.Method, plan.Metric, plan.SourceText, Created, null, ids);
        _trials = plan.Trials.Select((t, i) => new TrialRecord(
            ids[i], SweepId, i, t.Config, t.Parameters, i < 1990 ? TrialStatus.Completed : TrialStatus.Running, 1, 3, null, false,
            i < 1990 ? ScaleSweep.Epochs : 20, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Created, Created.AddSeconds(i * 50), null, null,
            [new AttemptRecord(1, "worker-1", Created.AddSeconds(i * 50), null, null, null)],
            i < 1990 ? [ScaleSweep.Evaluation(i)] : [])).ToDictionary(t => t.Id);
        _epochs = _trials.Values.ToDictionary(t => t.Id, t => (IReadOnlyList<EpochMetrics>)Enumerable.Range(1, t.LastEpoch).Select(e => ScaleSweep.Epoch(t.Index, e)).ToList());
    }

    public Task<long> CountSweepsAsync(CancellationToken cancellationToken) => Task.FromResult(1L);

    public Task<IReadOnlyList<string>> ListSweepIdsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([SweepId]);

    public Task<IReadOnlyList<SweepSummary>> GetSweepSummariesAsync(IReadOnlyList<string> sweepIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(sweepIds.Contains(SweepId)
            ? [new SweepSummary(_sweep, _trials.Values.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count()))]
            : []);

    public Task SubscribeToChangesAsync(Action<string?> onChange) => Task.CompletedTask;

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        Task.FromResult(sweepId == SweepId ? _sweep : null);

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TrialRecord>>(sweepId == SweepId ? _trials.Values.OrderBy(t => t.Index).ToList() : []);

    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(IReadOnlyList<string> trialIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TrialRecord>>([.. trialIds.Where(_trials.ContainsKey).Select(id => _trials[id])]);

    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken) =>
        Task.FromResult(_trials.GetValueOrDefault(trialId));

    public Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken) =>
        Task.FromResult(_epochs.GetValueOrDefault(trialId) ?? []);

    public Task<IReadOnlyList<TrialDecision>> GetDecisionsAsync(string trialId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TrialDecision>>([]);

    public Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The synthetic store is read-only.");

    public Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<Experiments.Core.Queue.DeletedSweep?> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        Task.FromResult<Experiments.Core.Queue.DeletedSweep?>(null);

    public Task<string?> GetSweepSourceAsync(string sweepId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<GrownSweep?> AddTrialsAsync(string sweepId, Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> plan, string? traceParent, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The synthetic store is read-only.");
}
