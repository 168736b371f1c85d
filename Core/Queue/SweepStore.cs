using Experiments.Core.Queue.Scripts;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>Submits sweeps and reads and steers what the store holds (the API and Dashboard side).</summary>
/// <remarks>
/// Cancellation: a read stops waiting when its token is cancelled; a write is refused if the token is already
/// cancelled and otherwise runs to its end (a script sent to the store cannot be called back, and its caller must
/// learn what it did).
/// </remarks>
public sealed partial class SweepStore
{
    private const string CancelReason = "cancelled by user";
    private const int SubmitTries = 3;

    private readonly IConnectionMultiplexer redis;
    private readonly StoreOptions options;
    private readonly TimeProvider time;
    private readonly StoreKeys keys;
    private readonly Func<string> newSweepId;

    public SweepStore(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time)
        : this(redis, options, time, StoreIds.NewSweepId)
    {
    }

    /// <summary>Lets tests choose sweep ids (e.g. to force a collision).</summary>
    internal SweepStore(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time, Func<string> newSweepId)
    {
        this.redis = redis;
        this.options = options;
        this.time = time;
        this.newSweepId = newSweepId;
        keys = new StoreKeys(options.KeyPrefix);
    }

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Stores the sweep with all its trials and queues them, atomically: all or nothing.</summary>
    public async Task<SubmittedSweep> SubmitAsync(SweepPlan plan, string? traceParent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Trials.Count == 0)
        {
            throw new ArgumentException("A sweep needs at least one trial.", nameof(plan));
        }

        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sweepId = newSweepId();
            var trialIds = Enumerable.Range(0, plan.Trials.Count).Select(i => StoreIds.TrialId(sweepId, i)).ToArray();
            var now = time.GetUtcNow();

            RedisKey[] scriptKeys = plan.Search is null
                ? [keys.Sweeps, keys.Queue, keys.Deleting, keys.Deleted, keys.Sweep(sweepId), .. trialIds.Select(keys.Trial)]
                : [keys.Sweeps, keys.Queue, keys.Deleting, keys.Deleted, keys.Sweep(sweepId), .. trialIds.Select(keys.Trial), keys.Growing];
            var arguments = new List<RedisValue>(13 + (3 * trialIds.Length))
            {
                sweepId, StoreTime.ToStored(now), QueueScore.Fresh(now), options.MaxAttempts, traceParent ?? "",
                plan.Name, plan.Method, plan.Metric.Name, plan.Metric.Goal, plan.SourceText, trialIds.Length,
            };
            for (var i = 0; i < trialIds.Length; i++)
            {
                arguments.Add(trialIds[i]);
                arguments.Add(RecordJson.Serialize(plan.Trials[i].Config));
                arguments.Add(RecordJson.Serialize(plan.Trials[i].Parameters));
            }

            arguments.Add(plan.EarlyTermination is { } rule ? RecordJson.Serialize(rule) : "");
            arguments.Add(SweepHash.Target(plan.Metric));
            if (plan.Search is { } search)
            {
                arguments.AddRange(SweepHash.BudgetFields(search));
            }

            var result = (string?)await StoreScripts.Submit.EvaluateAsync(Database, scriptKeys, [.. arguments]).ConfigureAwait(false);
            if (result == "ok")
            {
                await Database.PublishAsync(keys.Work, sweepId).ConfigureAwait(false);
                return new SubmittedSweep(sweepId, trialIds);
            }

            // 'exists': the random id collided with stored keys and nothing was written; try a fresh id.
            if (attempt == SubmitTries)
            {
                throw new InvalidOperationException($"Could not find a free sweep id after {SubmitTries} tries.");
            }
        }
    }

    /// <summary>Newest first, as summaries: the sweep's fields and status counts without its source text.</summary>
    public async Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        if (take <= 0)
        {
            return [];
        }

        var listed = await Database.SortedSetRangeByRankAsync(keys.Sweeps, skip, skip + take - 1, Order.Descending)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        // Only this store writes the set, but a stray member must not become a key.
        return await GetSweepSummariesAsync([.. listed.Select(id => (string)id!).Where(id => StoreIds.IsSweepId(id))], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many sweeps the store holds: one cheap read that tells a watcher whether any were submitted.</summary>
    public Task<long> CountSweepsAsync(CancellationToken cancellationToken = default) =>
        Database.SortedSetLengthAsync(keys.Sweeps).WaitAsync(cancellationToken);

    /// <summary>Every sweep id, newest first (ids only: a thousand sweeps are one small read).</summary>
    public async Task<IReadOnlyList<string>> ListSweepIdsAsync(CancellationToken cancellationToken = default)
    {
        var listed = await Database.SortedSetRangeByRankAsync(keys.Sweeps, 0, -1, Order.Descending).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. listed.Select(id => (string)id!).Where(id => StoreIds.IsSweepId(id))];
    }

    /// <summary>Summaries of these sweeps (unknown ids left out), read in one pipelined batch without their sources.</summary>
    public async Task<IReadOnlyList<SweepSummary>> GetSweepSummariesAsync(IReadOnlyList<string> sweepIds, CancellationToken cancellationToken = default)
    {
        var database = Database;
        var ids = sweepIds.Where(id => StoreIds.IsSweepId(id)).ToArray();
        var reads = ids.Select(id => database.HashGetAsync(keys.Sweep(id), SweepHash.SummaryFields)).ToArray();
        // Pipelined with the summaries: one entry per running trial, however large the sweep.
        var progress = ids.Select(id => database.HashValuesAsync(keys.Progress(id))).ToArray();
        var values = await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
        var running = await Task.WhenAll(progress).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. ids.Select((id, i) => SweepHash.ToSummary(id, values[i]) is { } summary ? summary with { Running = SweepHash.ToProgress(running[i]) } : null)
            .OfType<SweepSummary>()];
    }

    /// <summary>The whole sweep, with the source text it was submitted as; null for an unknown or malformed id.</summary>
    public async Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken = default) =>
        StoreIds.IsSweepId(sweepId)
            ? SweepHash.ToSummary(sweepId, await Database.HashGetAllAsync(keys.Sweep(sweepId)).WaitAsync(cancellationToken).ConfigureAwait(false))?.Sweep
            : null;

    /// <summary>The sweep with its trials' status counts, without its source text; null for an unknown or malformed id.</summary>
    public async Task<SweepSummary?> GetSweepSummaryAsync(string sweepId, CancellationToken cancellationToken = default) =>
        (await GetSweepSummariesAsync([sweepId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>All trials of a sweep in index order, read in one pipelined batch.</summary>
    public async Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        var sweep = await GetSweepSummaryAsync(sweepId, cancellationToken).ConfigureAwait(false);
        return sweep is null ? [] : await ReadTrialsAsync(sweep.Sweep.TrialIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with the id (sweep or trial) named when work is queued: a submit, a requeue,
    /// a retry. That is how a finished sweep becomes active again, so a watcher can leave finished sweeps unread until
    /// then. After a reconnect it is called with null: messages sent meanwhile are lost, so anything may have changed.
    /// </summary>
    public async Task SubscribeToChangesAsync(Action<string?> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        redis.ConnectionRestored += (_, _) => onChange(null);
        await redis.GetSubscriber().SubscribeAsync(keys.Work, (_, message) => onChange(message.IsNullOrEmpty ? null : (string)message!)).ConfigureAwait(false);
    }

    /// <summary>These trials (unknown or malformed ids left out), in the order given, read in one pipelined batch.</summary>
    public Task<IReadOnlyList<TrialRecord>> GetTrialsAsync(IReadOnlyList<string> trialIds, CancellationToken cancellationToken = default) =>
        ReadTrialsAsync([.. trialIds.Where(id => StoreIds.IsTrialId(id))], cancellationToken);

    /// <summary>The trial with its attempts; null for an unknown or malformed id, or when its sweep was deleted (its keys may not all be gone yet).</summary>
    public async Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken = default)
    {
        if (!StoreIds.TryGetSweepId(trialId, out var sweepId))
        {
            return null;
        }

        var deleted = Database.HashExistsAsync(keys.Sweep(sweepId), SweepHash.DeletedField);
        var trials = ReadTrialsAsync([trialId], cancellationToken);
        return await deleted.WaitAsync(cancellationToken).ConfigureAwait(false) ? null : (await trials.ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Every recorded epoch of a trial, in epoch order; empty for an unknown or malformed id.</summary>
    public async Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string trialId, CancellationToken cancellationToken = default)
    {
        if (!StoreIds.IsTrialId(trialId))
        {
            return [];
        }

        var entries = await Database.HashGetAllAsync(keys.Epochs(trialId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => RecordJson.Deserialize<EpochMetrics>((string)e.Value!)).OrderBy(e => e.Epoch)];
    }

    /// <summary>Queued trials become Cancelled at once; running ones are flagged and stop at their next batch.</summary>
    public async Task<int> CancelSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        var sweep = await GetSweepAsync(sweepId, cancellationToken).ConfigureAwait(false);
        if (sweep is null)
        {
            return 0;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var cancelled = await CancelTrialsAsync(sweepId, sweep.TrialIds).ConfigureAwait(false);
        // The script marks the sweep cancelled, which stops both growth and tpe proposals from then on; trials added or
        // proposed between the read above and the script are cancelled too.
        var after = (await GetSweepSummaryAsync(sweepId, CancellationToken.None).ConfigureAwait(false))?.Sweep;
        return after is not null && after.TrialIds.Count > sweep.TrialIds.Count
            ? cancelled + await CancelTrialsAsync(sweepId, [.. after.TrialIds.Skip(sweep.TrialIds.Count)]).ConfigureAwait(false)
            : cancelled;
    }

    private async Task<int> CancelTrialsAsync(string sweepId, IReadOnlyList<string> trialIds)
    {
        RedisKey[] scriptKeys = [keys.Queue, keys.Sweep(sweepId), .. trialIds.Select(keys.Trial)];
        RedisValue[] arguments = [StoreTime.ToStored(time.GetUtcNow()), CancelReason, .. trialIds.Select(id => (RedisValue)id)];
        return (int)await StoreScripts.CancelSweep.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false);
    }

    public async Task<bool> CancelTrialAsync(string trialId, CancellationToken cancellationToken = default)
    {
        if (!StoreIds.TryGetSweepId(trialId, out var sweepId))
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] scriptKeys = [keys.Trial(trialId), keys.Queue, keys.Sweep(sweepId)];
        RedisValue[] arguments = [trialId, StoreTime.ToStored(time.GetUtcNow()), CancelReason];
        return (int)await StoreScripts.CancelTrial.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false) == 1;
    }

    /// <summary>A Failed, Cancelled or Diverged trial goes back to the queue with a fresh attempt budget.</summary>
    public async Task<bool> RequeueTrialAsync(string trialId, CancellationToken cancellationToken = default)
    {
        if (!StoreIds.TryGetSweepId(trialId, out var sweepId))
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] scriptKeys = [keys.Trial(trialId), keys.Queue, keys.Sweep(sweepId)];
        RedisValue[] arguments = [trialId, options.MaxAttempts];
        var requeued = (int)await StoreScripts.Requeue.EvaluateAsync(Database, scriptKeys, arguments).ConfigureAwait(false) == 1;
        if (requeued)
        {
            await Database.PublishAsync(keys.Work, trialId).ConfigureAwait(false);
        }

        return requeued;
    }

    public Task<long> QueueDepthAsync(CancellationToken cancellationToken = default) =>
        Database.SortedSetLengthAsync(keys.Queue).WaitAsync(cancellationToken);

    private async Task<IReadOnlyList<TrialRecord>> ReadTrialsAsync(IReadOnlyList<string> trialIds, CancellationToken cancellationToken)
    {
        // Unawaited commands on one multiplexer are pipelined: one batch, not 2n round trips.
        var database = Database;
        var hashes = trialIds.Select(id => database.HashGetAllAsync(keys.Trial(id))).ToArray();
        var attempts = trialIds.Select(id => database.ListRangeAsync(keys.Attempts(id))).ToArray();
        await Task.WhenAll(hashes.Concat<Task>(attempts)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. trialIds.Select((id, i) => TrialHash.ToRecord(id, hashes[i].Result, attempts[i].Result)).OfType<TrialRecord>()];
    }
}
