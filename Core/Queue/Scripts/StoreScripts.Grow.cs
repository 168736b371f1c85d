namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: queue, deleting, deleted, sweep, trial 1..n. ARGV: sweep id, created ms, queue score, max attempts,
    /// expected trial count, source ('' keeps the sweep's), traceparent ('' for the sweep's), n, then per trial: id,
    /// config JSON, parameters JSON. Adds the trials as the sweep's next indices, atomically, if the sweep still has the
    /// trial count its caller planned against (its de-duplication saw every trial); returns 'ok', 'moved' (it grew
    /// meanwhile: plan again), 'deleted', 'cancelled' or 'unsupported' (a sweep whose trials are proposed over time).
    /// Writes the trials, then their queue entries, and the sweep's trial count last: until then they lie beyond it,
    /// invisible to readers and dropped by claims, and a retry (the same ids) overwrites what a crash left of them.
    /// </summary>
    public static readonly StoreScript AddTrials = new("""
        local n = tonumber(ARGV[8])
        if #KEYS ~= n + 4 or #ARGV ~= 8 + 3 * n then
          return redis.error_reply('add trials: expected ' .. ARGV[8] .. ' trials')
        end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 or redis.call('ZSCORE', KEYS[3], ARGV[1]) or not live(KEYS[4]) then
          return 'deleted'
        end
        local s = redis.call('HMGET', KEYS[4], 'trial_count', 'cancelled', 'n:Queued', 'traceparent', 'budget')
        if s[2] == '1' then return 'cancelled' end
        if s[5] then return 'unsupported' end
        if s[1] ~= ARGV[5] then return 'moved' end
        local first = tonumber(s[1])
        local traceparent = ARGV[7] ~= '' and ARGV[7] or (s[4] or '')
        for i = 1, n do
          local a = 8 + 3 * (i - 1)
          redis.call('DEL', KEYS[4 + i])
          redis.call('HSET', KEYS[4 + i], 'sweep', ARGV[1], 'index', whole(first + i - 1),
            'config', ARGV[a + 2], 'params', ARGV[a + 3], 'status', 'Queued', 'attempt', '0', 'max_attempts', ARGV[4],
            'cancel', '0', 'last_epoch', '0', 'traceparent', traceparent, 'created', ARGV[2])
        end
        for i = 1, n do
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[8 + 3 * (i - 1) + 1])
        end
        local sweep = {'trial_count', whole(first + n), 'n:Queued', whole(tonumber(s[3] or '0') + n)}
        if ARGV[6] ~= '' then
          sweep[#sweep + 1] = 'source'
          sweep[#sweep + 1] = ARGV[6]
        end
        -- Last, in one write: the trials belong to the sweep once its count covers them.
        redis.call('HSET', KEYS[4], (table.unpack or unpack)(sweep))
        return 'ok'
        """);
}
