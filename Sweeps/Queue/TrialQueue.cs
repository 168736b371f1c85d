using Experiments.Sweeps.Records;
using StackExchange.Redis;

namespace Experiments.Sweeps.Queue;

/// <summary>The worker side of the queue: claim under a lease, renew, record fenced results, reap.</summary>
#pragma warning disable CS9113 // Skeleton: the queue implementation fills these in.
public sealed class TrialQueue(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time)
{
    /// <summary>Claims the next trial (resumed and retried before fresh), or null when the queue is empty.</summary>
    public Task<TrialLease?> TryClaimAsync(string workerId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Extends the lease; tells the caller whether it still holds it and whether a cancel was requested.</summary>
    public Task<LeaseState> RenewAsync(TrialLease lease, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Records one epoch, fenced by the lease; an epoch already recorded is never overwritten.</summary>
    public Task<EpochWrite> RecordEpochAsync(TrialLease lease, EpochMetrics metrics, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Ends the attempt, fenced; Failed requeues until attempts run out, then parks the trial as Failed.</summary>
    public Task<TrialStatus?> FinishAsync(TrialLease lease, TrialOutcome outcome, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Requeues (or parks) trials whose lease expired; returns how many it handled.</summary>
    public Task<int> ReapExpiredAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Subscribe to be woken when work is queued (polling stays the fallback).</summary>
    public Task SubscribeToWorkAsync(Action onWork) => throw new NotImplementedException();
}
