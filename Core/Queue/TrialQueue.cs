using Experiments.Core.Checkpoints;
using Experiments.Core.EarlyTermination;
using Experiments.Core.Queue.Scripts;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>The worker side of the queue: claim under a lease, renew, record fenced results, reap.</summary>
public sealed class TrialQueue(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time)
{
    /// <summary>Queue entries looked at per round trip when claiming.</summary>
    private const int PeekCount = 8;

    /// <summary>Expired leases handled per reap call; a reaper runs often, so a backlog drains over a few calls.</summary>
    private const int ReapBatch = 100;

    private readonly StoreKeys keys = new(options.KeyPrefix);
    private readonly TrialProposals proposals = new(redis, options, time);

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Claims the next trial (resumed and retried before fresh), or null when the queue is empty.</summary>
    public Task<TrialLease?> TryClaimAsync(string workerId, CancellationToken cancellationToken = default) =>
        TryClaimAsync(workerId, admission: null, cancellationToken);

    /// <summary>
    /// Claims the next trial that <paramref name="admission"/> lets this worker start. A trial it declines stays
    /// queued, with the reason noted on its record for everyone to see; null when nothing was claimed.
    /// </summary>
    public async Task<TrialLease?> TryClaimAsync(string workerId, ClaimAdmission? admission, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        var database = Database;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Peek, then claim one candidate at a time: the script names the trial's keys, so it must know the
            // trial before it runs. A candidate that is gone or stale is skipped; each try either claims, loses to
            // another worker's claim, drops a stale entry or is declined, so the loop ends: it stops after a pass
            // with a declined candidate (the same ones would be peeked again) or when the queue is empty.
            var candidates = await database.SortedSetRangeByRankAsync(keys.Queue, 0, PeekCount - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (candidates.Length == 0)
            {
                // Nothing queued: a tpe sweep with budget left may propose its next trial now, for this worker to claim.
                if (!await proposals.TryCreateAnyAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }

            var declined = false;
            foreach (var candidate in candidates)
            {
                var trialId = (string)candidate!;
                if (admission is not null && await DeclinesAsync(database, trialId, admission, cancellationToken).ConfigureAwait(false))
                {
                    declined = true;
                    continue;
                }

                var lease = await TryClaimAsync(database, trialId, workerId).ConfigureAwait(false);
                if (lease is not null)
                {
                    return lease;
                }
            }

            if (declined)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Extends the lease; tells the caller whether it still holds it and whether a cancel was requested. With
    /// <paramref name="progress"/>, stores it as the attempt's latest progress in the same fenced script: a caller
    /// that no longer holds the lease writes nothing.
    /// </summary>
    public async Task<LeaseState> RenewAsync(TrialLease lease, TrialProgress? progress = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (scriptKeys, arguments) = RenewCall(lease, progress);
        return ToLeaseState((string?)await StoreScripts.Renew.EvaluateAsync(Database, scriptKeys, arguments).WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <see cref="RenewAsync"/> on the calling thread: the lease keeper renews from a thread of its own so that a
    /// saturated thread pool cannot delay a renewal past the lease.
    /// </summary>
    public LeaseState Renew(TrialLease lease, TrialProgress? progress = null)
    {
        var (scriptKeys, arguments) = RenewCall(lease, progress);
        return ToLeaseState((string?)StoreScripts.Renew.Evaluate(Database, scriptKeys, arguments));
    }

    private (RedisKey[] Keys, RedisValue[] Arguments) RenewCall(TrialLease lease, TrialProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(lease);
        // A duration, not a deadline: the script adds it to the store's clock. Progress is stamped with the attempt,
        // so a reader can tell it from a stale one.
        RedisValue report = progress is null ? "" : RecordJson.Serialize(progress with { Attempt = lease.Attempt, TrialId = lease.TrialId });
        return ([keys.Trial(lease.TrialId), keys.Leases, keys.Sweep(lease.SweepId), keys.Progress(lease.SweepId)],
            [lease.TrialId, lease.Attempt, lease.Owner, LeaseMilliseconds, report]);
    }

    private long LeaseMilliseconds => (long)options.LeaseDuration.TotalMilliseconds;

    private static LeaseState ToLeaseState(string? reply) => reply switch
    {
        "held" => LeaseState.Held,
        "cancel" => LeaseState.CancelRequested,
        "deleted" => LeaseState.SweepDeleted,
        _ => LeaseState.Lost,
    };

    /// <summary>Records one epoch, fenced by the lease; an epoch already recorded is never overwritten.</summary>
    public async Task<EpochWrite> RecordEpochAsync(TrialLease lease, EpochMetrics metrics, CancellationToken cancellationToken = default) =>
        (await RecordEpochAsync(lease, metrics, null, cancellationToken).ConfigureAwait(false)).Write;

    /// <summary>
    /// Records one epoch, fenced by the lease, and in the same script makes the sweep's early-termination decision
    /// for it (when <paramref name="policy"/> checks this epoch). A replayed epoch gets the decision recorded the
    /// first time; an epoch whose first report was cut short by a crash before its decision gets it made now.
    /// </summary>
    public Task<EpochReport> RecordEpochAsync(TrialLease lease, EpochMetrics metrics, EarlyTerminationPolicy? policy, CancellationToken cancellationToken = default) =>
        RecordEpochAsync(lease, metrics, policy, checkpoints: null, cancellationToken);

    /// <summary>
    /// <see cref="RecordEpochAsync(TrialLease, EpochMetrics, EarlyTerminationPolicy?, CancellationToken)"/>, committing
    /// in the same fenced script the files that hold this epoch (<paramref name="checkpoints"/>: <c>last</c>, and
    /// <c>best</c> so far) as the trial's: a caller that no longer holds the lease commits nothing.
    /// </summary>
    public async Task<EpochReport> RecordEpochAsync(
        TrialLease lease, EpochMetrics metrics, EarlyTerminationPolicy? policy, TrialCheckpoints? checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(metrics);
        // A fenced write runs to its end once sent: its outcome decides whether the lease is still held.
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] scriptKeys = [keys.Trial(lease.TrialId), keys.Epochs(lease.TrialId), keys.Sweep(lease.SweepId)];
        RedisValue[] arguments =
        [
            lease.Attempt, lease.Owner, metrics.Epoch, RecordJson.Serialize(metrics with { Attempt = lease.Attempt }),
            Finite(metrics.WallSeconds), Finite(metrics.ValAccuracy), Finite(metrics.ValLoss), Finite(metrics.TrainAccuracy), Finite(metrics.TrainLoss),
            checkpoints?.Last ?? "", checkpoints?.Last is null ? "" : checkpoints.Best ?? "",
        ];
        var value = policy is null ? double.NaN : policy.ValueOf(metrics);
        var check = policy?.CheckFor(StoreIds.TrialIndex(lease.TrialId), metrics.Epoch, lease.Config.Epochs);
        if (check is { Kind: not EpochCheckKind.None })
        {
            var (decisionKeys, decisionArguments) = new StoreEarlyTermination(redis, options.KeyPrefix, policy!).Arguments(check, lease.TrialId, value);
            scriptKeys = [.. scriptKeys, .. decisionKeys];
            arguments = [.. arguments, .. decisionArguments];
        }

        var result = await StoreScripts.RecordEpoch.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false);
        var reply = result.Resp2Type == ResultType.Array ? (RedisResult[])result! : [result];
        var write = (string?)reply[0] switch
        {
            "recorded" => EpochWrite.Recorded,
            "already" => EpochWrite.AlreadyRecorded,
            "deleted" => EpochWrite.SweepDeleted,
            _ => EpochWrite.LeaseLost,
        };
        var decision = reply.Length > 1 ? EarlyTerminationDecision.Parse((string)reply[1]!)
            : check is not null && write is (EpochWrite.Recorded or EpochWrite.AlreadyRecorded) ? EarlyTerminationDecision.Unchecked(metrics.Epoch, value) with { Bracket = check.Bracket }
            : null;
        return new EpochReport(write, decision);
    }

    // Lua 5.1 reads "nan" and "inf" as numbers and 5.4 does not: a value that is not finite goes as '' (never reaches).
    private static RedisValue Finite(double value) =>
        double.IsFinite(value) ? value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";

    /// <summary>
    /// The early-termination policy of a sweep, as its worker applies it to a trial running <paramref name="config"/>;
    /// null when the sweep has no rule.
    /// </summary>
    public async Task<EarlyTerminationPolicy?> GetEarlyTerminationAsync(string sweepId, TrainingConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fields = await Database.HashGetAsync(keys.Sweep(sweepId), [SweepHash.EarlyTerminationField, "metric_name", "metric_goal"])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (fields[0].IsNullOrEmpty)
        {
            return null;
        }

        var spec = RecordJson.Deserialize<EarlyTerminationSpec>((string)fields[0]!);
        // Stored specs carry max_epochs resolved; the trial's own epochs stand in only for median, which has no rungs.
        return new EarlyTerminationPolicy(sweepId, spec, spec.MaxEpochs ?? config.Epochs, (string)fields[1]!, MetricGoals.Parse((string)fields[2]!));
    }

    /// <summary>
    /// Ends the attempt, fenced. Failed requeues until the trial has failed MaxAttempts times, Interrupted until it has
    /// been interrupted MaxInterruptions times; then the trial is parked as Failed.
    /// </summary>
    /// <returns>The trial's status afterwards, or null when the caller no longer held the lease (nothing changed).</returns>
    public async Task<TrialStatus?> FinishAsync(TrialLease lease, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        var kind = outcome.Kind.ToString();
        RedisKey[] scriptKeys = [keys.Trial(lease.TrialId), keys.Attempts(lease.TrialId), keys.Queue, keys.Leases, keys.Sweep(lease.SweepId), keys.Progress(lease.SweepId)];
        RedisValue[] arguments =
        [
            lease.TrialId, lease.Attempt, lease.Owner, kind, outcome.Reason ?? "",
            outcome.Evaluations.Count == 0 ? "" : RecordJson.Serialize(outcome.Evaluations),
            AttemptJson.EndSuffix(now, kind, outcome.Reason), StoreTime.ToStored(now), options.MaxInterruptions,
        ];
        var result = await StoreScripts.Finish.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var status = Enum.Parse<TrialStatus>((string)result!);
        if (status == TrialStatus.Queued)
        {
            await Database.PublishAsync(keys.Work, lease.TrialId).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>Requeues (or parks) trials whose lease expired (up to 100 per call); returns how many it handled.</summary>
    /// <remarks>Safe to run from every worker at once: each trial is re-checked and handled inside one script.</remarks>
    public async Task<int> ReapExpiredAsync(CancellationToken cancellationToken = default)
        => (await ReapExpiredTrialsAsync(cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>Like <see cref="ReapExpiredAsync"/>, naming each trial handled, its new status and its trace context.</summary>
    public async Task<IReadOnlyList<ReapedTrial>> ReapExpiredTrialsAsync(CancellationToken cancellationToken = default)
    {
        var database = Database;
        List<ReapedTrial> handled = [];
        var requeued = false;
        var now = time.GetUtcNow();
        var nowStored = StoreTime.ToStored(now);
        // Expired by the store's clock: a reaper whose own clock runs ahead must not take leases still held.
        var expired = (RedisResult[])(await StoreScripts.ListExpired.EvaluateAsync(database, [keys.Leases], [ReapBatch])
            .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        foreach (var member in expired)
        {
            // Between trials, never inside a script; the wake-up below still goes out for those already requeued.
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var trialId = (string)member!;
            if (!StoreIds.TryGetSweepId(trialId, out var sweepId))
            {
                continue;
            }

            RedisKey[] scriptKeys = [keys.Trial(trialId), keys.Attempts(trialId), keys.Queue, keys.Leases, keys.Sweep(sweepId), keys.Progress(sweepId)];
            RedisValue[] arguments =
            [
                trialId, nowStored, AttemptJson.EndSuffix(now, AttemptJson.LeaseExpiredOutcome, AttemptJson.LeaseExpiredReason),
                AttemptJson.LeaseExpiredReason, options.MaxInterruptions,
            ];
            var result = await StoreScripts.Reap.EvaluateAsync(database, scriptKeys, arguments).ConfigureAwait(false);
            if (!result.IsNull && Enum.TryParse<TrialStatus>((string?)result, out var status))
            {
                var traceParent = await database.HashGetAsync(keys.Trial(trialId), "traceparent").ConfigureAwait(false);
                handled.Add(new ReapedTrial(trialId, sweepId, status, traceParent.IsNullOrEmpty ? null : (string?)traceParent));
                requeued |= status == TrialStatus.Queued;
            }
        }

        if (requeued)
        {
            await database.PublishAsync(keys.Work, "reaped").ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();

        return handled;
    }

    /// <summary>Subscribe to be woken when work is queued (polling stays the fallback).</summary>
    public Task SubscribeToWorkAsync(Action onWork)
    {
        ArgumentNullException.ThrowIfNull(onWork);
        return redis.GetSubscriber().SubscribeAsync(keys.Work, (_, _) => onWork());
    }

    /// <summary>Asks the admission about a queued trial; when it declines, notes the reason on the trial.</summary>
    private async Task<bool> DeclinesAsync(IDatabase database, string trialId, ClaimAdmission admission, CancellationToken cancellationToken)
    {
        if (!StoreIds.TryGetSweepId(trialId, out var sweepId)
            || await database.HashGetAsync(keys.Trial(trialId), "config").ConfigureAwait(false) is not { IsNullOrEmpty: false } config)
        {
            // Not a trial of ours, or gone: the claim script drops such an entry.
            return false;
        }

        var reason = await admission(trialId, RecordJson.Deserialize<TrainingConfig>((string)config!), cancellationToken).ConfigureAwait(false);
        if (reason is null)
        {
            return false;
        }

        RedisKey[] scriptKeys = [keys.Trial(trialId), keys.Sweep(sweepId)];
        RedisValue[] arguments = [reason, StoreTime.ToStored(time.GetUtcNow())];
        await StoreScripts.Defer.EvaluateAsync(database, scriptKeys, arguments).ConfigureAwait(false);
        return true;
    }

    private async Task<TrialLease?> TryClaimAsync(IDatabase database, string trialId, string workerId)
    {
        if (!StoreIds.TryGetSweepId(trialId, out var sweepId))
        {
            await database.SortedSetRemoveAsync(keys.Queue, trialId).ConfigureAwait(false);
            return null;
        }

        var now = time.GetUtcNow();
        RedisKey[] scriptKeys = [keys.Queue, keys.Leases, keys.Trial(trialId), keys.Attempts(trialId), keys.Sweep(sweepId)];
        RedisValue[] arguments =
        [
            trialId, workerId, LeaseMilliseconds, StoreTime.ToStored(now), AttemptJson.StartOf(workerId, now),
        ];
        var result = await StoreScripts.Claim.EvaluateAsync(database, scriptKeys, arguments).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var fields = (RedisResult[])result!;
        return new TrialLease(
            TrialId: trialId,
            SweepId: sweepId,
            Attempt: (int)fields[0],
            Owner: workerId,
            Config: RecordJson.Deserialize<TrainingConfig>((string)fields[1]!),
            LastRecordedEpoch: (int)fields[2],
            TraceParent: (string?)fields[3] is { Length: > 0 } traceParent ? traceParent : null)
        {
            Checkpoints = TrialCheckpoints.Committed(Text(fields[4]), Text(fields[5])),
        };

        static string? Text(RedisResult field) => (string?)field is { Length: > 0 } text ? text : null;
    }
}
