namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: queue, leases, trial, attempts, sweep. ARGV: trial id, owner, lease duration ms, now ms (shown only),
    /// attempt start JSON. The lease runs until the store's clock passes its start + the duration.
    /// Claims the trial if it is still queued (another worker may have taken it since it was peeked): returns
    /// { attempt, config, last epoch, traceparent }, or nil. Drops queue entries left by a crash (trial not
    /// Queued, its sweep never completed its submit, or an add of trials never completed) or by a deletion (sweep
    /// tombstoned).
    /// </summary>
    public static readonly StoreScript Claim = new("""
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return false end
        local t = redis.call('HMGET', KEYS[3], 'status', 'attempt', 'config', 'last_epoch', 'traceparent', 'started', 'index', 'checkpoint_last', 'checkpoint_best')
        -- A trial beyond its sweep's count is what a crash left of an add (AddTrials): not the sweep's yet.
        if t[1] ~= 'Queued' or not live(KEYS[5]) or tonumber(t[7] or '0') >= tonumber(redis.call('HGET', KEYS[5], 'trial_count') or '0') then
          redis.call('ZREM', KEYS[1], ARGV[1])
          return false
        end
        local attempt = string.format('%d', tonumber(t[2]) + 1)
        local deadline = whole(store_ms() + tonumber(ARGV[3]))
        redis.call('ZADD', KEYS[2], deadline, ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        if t[6] then
          redis.call('HSET', KEYS[3], 'status', 'Running', 'attempt', attempt, 'owner', ARGV[2], 'lease_until', deadline)
        else
          redis.call('HSET', KEYS[3], 'status', 'Running', 'attempt', attempt, 'owner', ARGV[2], 'lease_until', deadline, 'started', ARGV[4])
        end
        redis.call('HDEL', KEYS[3], 'waiting', 'waiting_since')
        redis.call('RPUSH', KEYS[4], '{"attempt":' .. attempt .. ',' .. string.sub(ARGV[5], 2))
        move(KEYS[5], 'Queued', 'Running')
        return { attempt, t[3], t[4], t[5], t[8] or '', t[9] or '' }
        """);

    /// <summary>
    /// KEYS: trial, leases, sweep, sweep progress. ARGV: trial id, attempt, owner, lease duration ms, progress JSON (or
    /// empty). Moves the deadline to the store's now + the duration and, when given, stores the attempt's progress on
    /// the trial and in the sweep's progress hash: under the same fence, so a stale attempt's progress is refused
    /// with its renewal. Returns held, cancel, lost or deleted.
    /// </summary>
    public static readonly StoreScript Renew = new("""
        if not live(KEYS[3]) then return 'deleted' end
        if not holds(KEYS[1], ARGV[2], ARGV[3]) then return 'lost' end
        local deadline = whole(store_ms() + tonumber(ARGV[4]))
        redis.call('ZADD', KEYS[2], deadline, ARGV[1])
        redis.call('HSET', KEYS[1], 'lease_until', deadline)
        if ARGV[5] and ARGV[5] ~= '' then
          redis.call('HSET', KEYS[1], 'progress', ARGV[5])
          redis.call('HSET', KEYS[4], ARGV[1], ARGV[5])
        end
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 'cancel' end
        return 'held'
        """);

    /// <summary>
    /// KEYS: trial, epochs, sweep, then the early-termination keys. ARGV: attempt, owner, epoch, metrics JSON, the
    /// epoch's seconds and metric values (<see cref="TimeToTargetStep"/>), the checkpoint files holding the epoch and
    /// the best epoch so far ('' for none), then the early-termination arguments (<see cref="EarlyTerminationStep"/>).
    /// Returns lost, deleted, or recorded / already; with early termination { recorded|already, decision record }: an
    /// epoch recorded before gets its decision too (made now if a crash cut the first report short, else the one
    /// recorded then). The checkpoint names become the trial's committed <c>last</c>/<c>best</c> under the fence, in
    /// the same HSET as <c>last_epoch</c> (a crash keeps both or neither): a zombie's files are never committed. An
    /// epoch not behind <c>last_epoch</c> commits (a resumed attempt re-reporting its start names what it resumed
    /// from; one whose first report a crash cut short after the epochs hash repairs <c>last_epoch</c>).
    /// </summary>
    public static readonly StoreScript RecordEpoch = new(EarlyTerminationStep + TimeToTargetStep + """
        if not live(KEYS[3]) then return 'deleted' end
        if not holds(KEYS[1], ARGV[1], ARGV[2]) then return 'lost' end
        local state = 'recorded'
        if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4]) == 0 then state = 'already' end
        if tonumber(ARGV[3]) >= tonumber(redis.call('HGET', KEYS[1], 'last_epoch') or '0') then
          if ARGV[10] == '' then
            redis.call('HSET', KEYS[1], 'last_epoch', ARGV[3])
          elseif ARGV[11] == '' then
            redis.call('HSET', KEYS[1], 'last_epoch', ARGV[3], 'checkpoint_last', ARGV[10])
          else
            redis.call('HSET', KEYS[1], 'last_epoch', ARGV[3], 'checkpoint_last', ARGV[10], 'checkpoint_best', ARGV[11])
          end
        end
        time_to_target(KEYS[1], KEYS[3], ARGV)
        if #ARGV == 11 then return state end
        return { state, decide_epoch(KEYS, ARGV) }
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
