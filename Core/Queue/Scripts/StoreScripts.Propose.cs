namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: sweep, growing, queue, trial k, trial k - 1 (trial k again when k = 0). ARGV: sweep id, k, trial id,
    /// trial k - 1's id (or empty), config JSON, parameters JSON, fresh band of the queue score, max attempts,
    /// traceparent, then pairs (final status, count) describing the history the proposal was computed from.
    /// <para>
    /// Creates trial k of a tpe sweep, queued, only if the sweep is live (not deleted, its submit complete; else
    /// 'missing'), still has k trials (else 'stale': another worker created k first), budget left ('budget'), fewer
    /// than max_concurrent trials queued or running ('busy'), is not cancelled ('cancelled'), and its finished trials
    /// (completed, pruned, failed, ...) are still those the proposal saw ('changed'). So whoever computed it, exactly
    /// one proposal is stored per k, computed from the history current at that moment.
    /// </para>
    /// <para>
    /// Times come from the store's clock, as the claim's: the trial's created time and its queue score (the fresh band
    /// + the store's now), so proposers on machines with different clocks still queue trials in creation order. The
    /// trial starts with the same fields a submitted trial has (max_attempts = the failure budget, no failures or
    /// interruptions yet): Finish and Reap apply the same budgets to it.
    /// </para>
    /// <para>
    /// Crash order: the trial hash is written first (invisible: readers list trial_count trials and the queue does not
    /// name it; the next creation of k overwrites it), then the commit (trial_count and the Queued count in one HSET),
    /// then the queue entry. A commit whose queue entry was lost is repaired by the next call for the sweep, which
    /// queues trial k - 1 again if it is Queued and not in the queue; the sweep stays growing until such a call.
    /// </para>
    /// </summary>
    public static readonly StoreScript CreateProposed = new("""
        if not live(KEYS[1]) then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 'missing'
        end
        local s = redis.call('HMGET', KEYS[1], 'trial_count', 'budget', 'max_concurrent', 'n:Queued', 'n:Running', 'cancelled')
        if not s[2] then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 'missing'
        end
        local created = tonumber(s[1])
        if created ~= tonumber(ARGV[2]) then return 'stale' end
        local now = store_ms()
        local score = whole(tonumber(ARGV[7]) + now)
        if ARGV[4] ~= '' and redis.call('HGET', KEYS[5], 'status') == 'Queued' and not redis.call('ZSCORE', KEYS[3], ARGV[4]) then
          redis.call('ZADD', KEYS[3], score, ARGV[4])
        end
        if s[6] == '1' then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 'cancelled'
        end
        if created >= tonumber(s[2]) then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 'budget'
        end
        for i = 10, #ARGV, 2 do
          if (tonumber(redis.call('HGET', KEYS[1], 'n:' .. ARGV[i])) or 0) ~= tonumber(ARGV[i + 1]) then return 'changed' end
        end
        local queued = tonumber(s[4]) or 0
        if queued + (tonumber(s[5]) or 0) >= tonumber(s[3]) then return 'busy' end
        redis.call('DEL', KEYS[4])
        redis.call('HSET', KEYS[4], 'sweep', ARGV[1], 'index', ARGV[2], 'config', ARGV[5], 'params', ARGV[6], 'status', 'Queued',
          'attempt', '0', 'max_attempts', ARGV[8], 'cancel', '0', 'last_epoch', '0', 'traceparent', ARGV[9], 'created', whole(now))
        -- The commit: from here the trial is listed and counted.
        redis.call('HSET', KEYS[1], 'trial_count', whole(created + 1), 'n:Queued', whole(queued + 1))
        redis.call('ZADD', KEYS[3], score, ARGV[3])
        if created + 1 >= tonumber(s[2]) then redis.call('ZREM', KEYS[2], ARGV[1]) end
        return 'created'
        """);

    /// <summary>
    /// KEYS: queue, trial, sweep. ARGV: trial id, fresh band of the queue score. The repair half of
    /// <see cref="CreateProposed"/> alone, for a sweep at its concurrency limit (where no creation runs): queues the
    /// trial again, at the fresh band + the store's now, if its sweep is live and it is Queued but not in the queue
    /// (a crash lost the entry after the creation's commit). Returns 1 if it did.
    /// </summary>
    public static readonly StoreScript RequeueLost = new("""
        if live(KEYS[3]) and redis.call('HGET', KEYS[2], 'status') == 'Queued' and not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
          redis.call('ZADD', KEYS[1], whole(tonumber(ARGV[2]) + store_ms()), ARGV[1])
          return 1
        end
        return 0
        """);
}
