namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: queue, leases, trial, attempts, sweep. ARGV: trial id, owner, lease expiry ms, now ms, attempt start JSON.
    /// Claims the trial if it is still queued (another worker may have taken it since it was peeked): returns
    /// { attempt, config, last epoch, traceparent }, or nil. Drops queue entries left by a crash (trial not
    /// Queued, or its sweep never completed its submit) or by a deletion (sweep tombstoned).
    /// </summary>
    public static readonly StoreScript Claim = new("""
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return false end
        local t = redis.call('HMGET', KEYS[3], 'status', 'attempt', 'config', 'last_epoch', 'traceparent', 'started')
        if t[1] ~= 'Queued' or not live(KEYS[5]) then
          redis.call('ZREM', KEYS[1], ARGV[1])
          return false
        end
        local attempt = string.format('%d', tonumber(t[2]) + 1)
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        if t[6] then
          redis.call('HSET', KEYS[3], 'status', 'Running', 'attempt', attempt, 'owner', ARGV[2], 'lease_until', ARGV[3])
        else
          redis.call('HSET', KEYS[3], 'status', 'Running', 'attempt', attempt, 'owner', ARGV[2], 'lease_until', ARGV[3], 'started', ARGV[4])
        end
        redis.call('HDEL', KEYS[3], 'waiting', 'waiting_since')
        redis.call('RPUSH', KEYS[4], '{"attempt":' .. attempt .. ',' .. string.sub(ARGV[5], 2))
        move(KEYS[5], 'Queued', 'Running')
        return { attempt, t[3], t[4], t[5] }
        """);

    /// <summary>KEYS: trial, leases, sweep. ARGV: trial id, attempt, owner, lease expiry ms. Returns held, cancel, lost or deleted.</summary>
    public static readonly StoreScript Renew = new("""
        if not live(KEYS[3]) then return 'deleted' end
        if not holds(KEYS[1], ARGV[2], ARGV[3]) then return 'lost' end
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        redis.call('HSET', KEYS[1], 'lease_until', ARGV[4])
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 'cancel' end
        return 'held'
        """);

    /// <summary>KEYS: trial, epochs, sweep. ARGV: attempt, owner, epoch, metrics JSON. Returns recorded, already, lost or deleted.</summary>
    public static readonly StoreScript RecordEpoch = new("""
        if not live(KEYS[3]) then return 'deleted' end
        if not holds(KEYS[1], ARGV[1], ARGV[2]) then return 'lost' end
        if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4]) == 0 then return 'already' end
        if tonumber(ARGV[3]) > tonumber(redis.call('HGET', KEYS[1], 'last_epoch') or '0') then
          redis.call('HSET', KEYS[1], 'last_epoch', ARGV[3])
        end
        return 'recorded'
        """);

    /// <summary>
    /// KEYS: trial, sweep. ARGV: reason, now ms. Notes on a trial still Queued why a worker did not start it (e.g. no
    /// room for its checkpoints); the claim that starts it clears the note. Returns 1 if noted.
    /// </summary>
    public static readonly StoreScript Defer = new("""
        if not live(KEYS[2]) or redis.call('HGET', KEYS[1], 'status') ~= 'Queued' then return 0 end
        redis.call('HSET', KEYS[1], 'waiting', ARGV[1])
        redis.call('HSETNX', KEYS[1], 'waiting_since', ARGV[2])
        return 1
        """);
}
