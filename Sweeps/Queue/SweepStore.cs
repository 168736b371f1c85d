using Experiments.Sweeps.Records;
using Experiments.Sweeps.Specs;
using StackExchange.Redis;

namespace Experiments.Sweeps.Queue;

/// <summary>Submits sweeps and reads and steers what the store holds (the API and Dashboard side).</summary>
#pragma warning disable CS9113 // Skeleton: the queue implementation fills these in.
public sealed class SweepStore(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time)
{
    /// <summary>Stores the sweep with all its trials and queues them, atomically: all or nothing.</summary>
    public Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Newest first.</summary>
    public Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Every recorded epoch of a trial, in epoch order.</summary>
    public Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Queued trials become Cancelled at once; running ones are flagged and stop at their next batch.</summary>
    public Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>A Failed, Cancelled or Diverged trial goes back to the queue with a fresh attempt budget.</summary>
    public Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<long> QueueDepthAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
