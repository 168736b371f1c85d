namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: trial, attempts, queue, leases, sweep, sweep progress. ARGV: trial id, attempt, owner, outcome kind, reason,
    /// evaluations JSON (or empty), attempt end suffix, now ms (shown only), max interruptions. A retry is queued at
    /// the store's now. Failed counts against the trial's max_attempts, Interrupted against max interruptions; either
    /// requeues until its own budget is spent, then parks the trial as Failed.
    /// Returns the trial's new status, or nil when the caller no longer holds the lease or the sweep was deleted.
    /// </summary>
    public static readonly StoreScript Finish = new("""
        if not live(KEYS[5]) or not holds(KEYS[1], ARGV[2], ARGV[3]) then return false end
        local t = redis.call('HMGET', KEYS[1], 'cancel', 'max_attempts', 'failures', 'interruptions')
        local status = ARGV[4]
        local counter, count, budget = 'failures', tonumber(t[3] or '0'), tonumber(t[2])
        if status == 'Interrupted' then
          counter, count, budget = 'interruptions', tonumber(t[4] or '0'), tonumber(ARGV[9])
        end
        if status == 'Failed' or status == 'Interrupted' then
          count = count + 1
          if t[1] == '1' then
            status = 'Cancelled'
          elseif count < budget then
            status = 'Queued'
          else
            status = 'Failed'
          end
        end
        local reason = ARGV[5]
        if status == 'Failed' and counter == 'interruptions' then
          reason = reason .. '; interrupted ' .. whole(count) .. ' times'
        end
        return settle(KEYS, ARGV[1], ARGV[2], status, reason, ARGV[8], whole(store_ms()), ARGV[7], ARGV[6], counter, whole(count))
        """);

    /// <summary>
    /// KEYS: trial, attempts, queue, leases, sweep, sweep progress. ARGV: trial id, now ms (shown only), attempt end suffix, reason,
    /// max interruptions. A lost worker is an interruption, not a failure of the trial.
    /// Handles one trial whose lease expired by the store's clock (checked again here: it may have been renewed or
    /// reaped since it was listed); returns the trial's new status or nil. A lease left on a trial that is not running
    /// (a crash cut a claim or finish short) is dropped, and such a trial that is Queued but not in the queue is queued
    /// again. The lease of a trial whose sweep was deleted is only dropped: the deletion removes the trial.
    /// </summary>
    public static readonly StoreScript Reap = new("""
        local expiry = redis.call('ZSCORE', KEYS[4], ARGV[1])
        local now = store_ms()
        if not expiry or tonumber(expiry) > now then return false end
        if not live(KEYS[5]) then
          redis.call('ZREM', KEYS[4], ARGV[1])
          return false
        end
        local t = redis.call('HMGET', KEYS[1], 'status', 'attempt', 'interruptions', 'cancel')
        if t[1] ~= 'Running' then
          local requeued = t[1] == 'Queued' and not redis.call('ZSCORE', KEYS[3], ARGV[1])
          if requeued then redis.call('ZADD', KEYS[3], whole(now), ARGV[1]) end
          redis.call('ZREM', KEYS[4], ARGV[1])
          if requeued then return 'Queued' end
          return false
        end
        local count = tonumber(t[3] or '0') + 1
        local status = 'Failed'
        local reason = ARGV[4]
        if t[4] == '1' then
          status = 'Cancelled'
        elseif count < tonumber(ARGV[5]) then
          status = 'Queued'
        else
          reason = reason .. '; interrupted ' .. whole(count) .. ' times'
        end
        return settle(KEYS, ARGV[1], t[2], status, reason, ARGV[2], whole(now), ARGV[3], '', 'interruptions', whole(count))
        """);

    /// <summary>KEYS: leases. ARGV: how many. Trials whose lease the store's clock has passed, soonest expired first.</summary>
    public static readonly StoreScript ListExpired = new("""
        return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', whole(store_ms()), 'LIMIT', 0, tonumber(ARGV[1]))
        """);
}
