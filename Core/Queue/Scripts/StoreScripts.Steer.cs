namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>KEYS: trial, queue, sweep. ARGV: trial id, now ms, reason. Returns 1 if it cancelled or flagged the trial.</summary>
    public static readonly StoreScript CancelTrial = new("""
        return cancel(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
        """);

    /// <summary>
    /// KEYS: queue, sweep, trial 1..n. ARGV: now ms, reason, trial id 1..n. Marks the sweep cancelled (no trials are
    /// added to it from then on) and returns how many trials it cancelled or flagged.
    /// </summary>
    public static readonly StoreScript CancelSweep = new("""
        if live(KEYS[2]) then redis.call('HSET', KEYS[2], 'cancelled', '1') end
        local count = 0
        for i = 3, #KEYS do
          count = count + cancel(KEYS[i], KEYS[1], KEYS[2], ARGV[i], ARGV[1], ARGV[2])
        end
        return count
        """);

    /// <summary>
    /// KEYS: trial, queue, sweep. ARGV: trial id, attempt budget. A Failed, Cancelled or Diverged trial is queued
    /// again (with the retries, at the store's now) with <c>budget</c> more failures allowed and its interruption count
    /// reset (its attempt counter keeps counting). Returns 1 if requeued.
    /// </summary>
    public static readonly StoreScript Requeue = new("""
        if not live(KEYS[3]) then return 0 end
        local t = redis.call('HMGET', KEYS[1], 'status', 'failures')
        if t[1] ~= 'Failed' and t[1] ~= 'Cancelled' and t[1] ~= 'Diverged' then return 0 end
        local max = string.format('%d', tonumber(t[2] or '0') + tonumber(ARGV[2]))
        redis.call('ZADD', KEYS[2], whole(store_ms()), ARGV[1])
        redis.call('HSET', KEYS[1], 'status', 'Queued', 'cancel', '0', 'max_attempts', max, 'interruptions', '0')
        redis.call('HDEL', KEYS[1], 'ended', 'reason')
        move(KEYS[3], t[1], 'Queued')
        return 1
        """);
}
