namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: trial, attempts, queue, leases, sweep. ARGV: trial id, attempt, owner, outcome kind, reason,
    /// evaluations JSON (or empty), attempt end suffix, now ms, retry score.
    /// Returns the trial's new status, or nil when the caller no longer holds the lease or the sweep was deleted.
    /// </summary>
    public static readonly StoreScript Finish = new("""
        if not live(KEYS[5]) or not holds(KEYS[1], ARGV[2], ARGV[3]) then return false end
        local status = ARGV[4]
        if status == 'Failed' then
          local t = redis.call('HMGET', KEYS[1], 'cancel', 'max_attempts')
          if t[1] == '1' then
            status = 'Cancelled'
          elseif tonumber(ARGV[2]) < tonumber(t[2]) then
            status = 'Queued'
          end
        end
        return settle(KEYS, ARGV[1], ARGV[2], status, ARGV[5], ARGV[8], ARGV[9], ARGV[7], ARGV[6])
        """);

    /// <summary>
    /// KEYS: trial, attempts, queue, leases, sweep. ARGV: trial id, now ms, attempt end suffix, retry score, reason.
    /// Handles one trial whose lease expired (checked again here: it may have been renewed or reaped since it was
    /// listed); returns the trial's new status or nil. A lease left on a trial that is not running (a crash cut a
    /// claim or finish short) is dropped, and such a trial that is Queued but not in the queue is queued again. The
    /// lease of a trial whose sweep was deleted is only dropped: the deletion removes the trial.
    /// </summary>
    public static readonly StoreScript Reap = new("""
        local expiry = redis.call('ZSCORE', KEYS[4], ARGV[1])
        if not expiry or tonumber(expiry) > tonumber(ARGV[2]) then return false end
        if not live(KEYS[5]) then
          redis.call('ZREM', KEYS[4], ARGV[1])
          return false
        end
        local t = redis.call('HMGET', KEYS[1], 'status', 'attempt', 'max_attempts', 'cancel')
        if t[1] ~= 'Running' then
          local requeued = t[1] == 'Queued' and not redis.call('ZSCORE', KEYS[3], ARGV[1])
          if requeued then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1]) end
          redis.call('ZREM', KEYS[4], ARGV[1])
          if requeued then return 'Queued' end
          return false
        end
        local status = 'Failed'
        if t[4] == '1' then
          status = 'Cancelled'
        elseif tonumber(t[2]) < tonumber(t[3]) then
          status = 'Queued'
        end
        return settle(KEYS, ARGV[1], t[2], status, ARGV[5], ARGV[2], ARGV[4], ARGV[3], '')
        """);
}
