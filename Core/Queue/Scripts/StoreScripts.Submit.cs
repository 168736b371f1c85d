namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: sweeps, queue, deleting, deleted, sweep, trial 1..n[, growing]. ARGV: sweep id, created ms, queue score,
    /// max attempts, traceparent, name, method, metric name, metric goal, source, n, then per trial: id, config JSON,
    /// parameters JSON, then the early-termination spec JSON ('' for none), the metric's target ('' for none), then
    /// (tpe only, with the growing key) field/value pairs of the search budget for the sweep hash. Checks everything before the first write and writes
    /// the sweep hash last; returns 'ok' or 'exists' (the id is taken, also by a deleted sweep: ids are never reused).
    /// </summary>
    public static readonly StoreScript Submit = new("""
        local n = tonumber(ARGV[11])
        local extra = #ARGV - (13 + 3 * n)
        if #KEYS ~= n + 5 + (extra > 0 and 1 or 0) or extra < 0 or extra % 2 ~= 0 then
          return redis.error_reply('submit: expected ' .. ARGV[11] .. ' trials')
        end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 or redis.call('ZSCORE', KEYS[4], ARGV[1]) then return 'exists' end
        for i = 5, n + 5 do
          if redis.call('EXISTS', KEYS[i]) == 1 then return 'exists' end
        end
        for i = 1, n do
          local a = 11 + 3 * (i - 1)
          redis.call('HSET', KEYS[5 + i], 'sweep', ARGV[1], 'index', string.format('%d', i - 1),
            'config', ARGV[a + 2], 'params', ARGV[a + 3], 'status', 'Queued', 'attempt', '0', 'max_attempts', ARGV[4],
            'cancel', '0', 'last_epoch', '0', 'traceparent', ARGV[5], 'created', ARGV[2])
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[a + 1])
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        -- A growing sweep without its hash (a crash cut this script short) is dropped by the next proposal.
        if extra > 0 then redis.call('ZADD', KEYS[n + 6], ARGV[2], ARGV[1]) end
        -- trial_count is the number of trials created so far (a tpe sweep creates the rest lazily).
        local sweep = {'name', ARGV[6], 'method', ARGV[7], 'metric_name', ARGV[8], 'metric_goal', ARGV[9],
          'source', ARGV[10], 'created', ARGV[2], 'traceparent', ARGV[5], 'trial_count', ARGV[11], 'n:Queued', ARGV[11]}
        local early_termination = ARGV[12 + 3 * n]
        if early_termination ~= '' then
          sweep[#sweep + 1] = 'early_termination'
          sweep[#sweep + 1] = early_termination
        end
        local target = ARGV[13 + 3 * n]
        if target ~= '' then
          sweep[#sweep + 1] = 'metric_target'
          sweep[#sweep + 1] = target
        end
        for i = 14 + 3 * n, #ARGV do sweep[#sweep + 1] = ARGV[i] end
        -- Last, in one write: the sweep exists once this hash does.
        redis.call('HSET', KEYS[5], (table.unpack or unpack)(sweep))
        return 'ok'
        """);
}
