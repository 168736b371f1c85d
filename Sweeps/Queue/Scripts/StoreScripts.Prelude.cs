namespace Experiments.Sweeps.Queue.Scripts;

/// <summary>The store's Lua scripts. Each names every key it touches in KEYS (Garnet locks only those).</summary>
internal static partial class StoreScripts
{
    /// <summary>Helpers shared by the scripts; prepended to each.</summary>
    public const string Prelude = """
        -- Keeps the per-sweep status counts (fields n:<Status> of the sweep hash) in step with trial statuses.
        local function move(sweep, from, to)
          if from ~= to then
            redis.call('HINCRBY', sweep, 'n:' .. from, -1)
            redis.call('HINCRBY', sweep, 'n:' .. to, 1)
          end
        end

        -- The fence: only the current attempt's owner, while the trial runs, may write.
        local function holds(trial, attempt, owner)
          local t = redis.call('HMGET', trial, 'status', 'attempt', 'owner')
          return t[1] == 'Running' and t[2] == attempt and t[3] == owner
        end

        -- Completes attempt record number `attempt` by replacing its closing brace with `suffix` (",...}").
        local function close_attempt(attempts, attempt, suffix)
          local index = tonumber(attempt) - 1
          local record = redis.call('LINDEX', attempts, index)
          if record then
            redis.call('LSET', attempts, index, string.sub(record, 1, -2) .. suffix)
          end
        end

        -- Queued: cancelled at once. Running: flagged, the worker stops and finishes it as Cancelled.
        local function cancel(trial, queue, sweep, trial_id, now, reason)
          local t = redis.call('HMGET', trial, 'status', 'cancel')
          if t[1] == 'Queued' then
            redis.call('ZREM', queue, trial_id)
            redis.call('HSET', trial, 'status', 'Cancelled', 'reason', reason, 'ended', now)
            move(sweep, 'Queued', 'Cancelled')
            return 1
          elseif t[1] == 'Running' and t[2] ~= '1' then
            redis.call('HSET', trial, 'cancel', '1')
            return 1
          end
          return 0
        end

        """;
}
