namespace Experiments.Core.Queue.Scripts;

/// <summary>
/// The store's Lua scripts. Each names every key it touches in KEYS (Garnet locks only those).
/// Write order matters: after kill -9, Garnet 2.2.8 can replay a prefix of a script's writes (Redis replays all
/// or nothing). So each script writes in an order where every prefix is either invisible or repaired later:
/// a submit writes its sweep hash last (readers and claims ignore trials of a sweep without one), a trial
/// leaves the queue only after it has a lease entry, which the reaper requeues if the claim went no further, and a
/// deletion lists the sweep as being deleted before it changes anything else (the next purge finishes it).
/// </summary>
internal static partial class StoreScripts
{
    /// <summary>Helpers shared by the scripts; prepended to each.</summary>
    public const string Prelude = """
        -- The store's clock in ms. Lease deadlines and every time a script compares come from it, never from a
        -- caller: workers on other machines (or with a drifting clock) all agree on one clock. TIME is allowed in
        -- scripts on Redis 7 (effects replication) and on Garnet, whose AOF keeps the value the script saw.
        local function store_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        -- Whole numbers sent back to the store as text (Lua 5.4 would write 5.0 for a float).
        local function whole(n)
          return string.format('%d', n)
        end

        -- Keeps the per-sweep status counts (fields n:<Status> of the sweep hash) in step with trial statuses.
        local function move(sweep, from, to)
          if from ~= to then
            redis.call('HINCRBY', sweep, 'n:' .. from, -1)
            redis.call('HINCRBY', sweep, 'n:' .. to, 1)
          end
        end

        -- A sweep hands out work and takes results only while its hash exists without the deletion tombstone.
        local function live(sweep)
          return redis.call('EXISTS', sweep) == 1 and redis.call('HEXISTS', sweep, 'deleted') == 0
        end

        -- The fence: only the current attempt's owner, while the trial runs, may write.
        local function holds(trial, attempt, owner)
          local t = redis.call('HMGET', trial, 'status', 'attempt', 'owner')
          return t[1] == 'Running' and t[2] == attempt and t[3] == owner
        end

        -- Completes the record of attempt `attempt` (the last one) by replacing its closing brace with `suffix`.
        local function close_attempt(attempts, attempt, suffix)
          local record = redis.call('LINDEX', attempts, -1)
          local start = '{"attempt":' .. attempt .. ','
          if record and string.sub(record, 1, #start) == start then
            redis.call('LSET', attempts, -1, string.sub(record, 1, -2) .. suffix)
          end
        end

        -- Ends a running attempt: back to the queue at `score`, or final with `ended` (and `evaluations` if any);
        -- then closes the attempt record and drops the lease and the attempt's progress. Finish and Reap share this
        -- write order. The budget counter (`counter` = failures or interruptions) is written in the same HSET as the
        -- status, so a crash never keeps one without the other. The sweep's progress entry goes first: a prefix that
        -- stops after it only hides a running trial's bar until its next renewal writes it again.
        local function settle(keys, trial_id, attempt, status, reason, ended, score, suffix, evaluations, counter, count)
          redis.call('HDEL', keys[6], trial_id)
          if status == 'Queued' then
            redis.call('HSET', keys[1], 'status', status, 'reason', reason, counter, count)
            redis.call('ZADD', keys[3], score, trial_id)
          elseif evaluations ~= '' then
            redis.call('HSET', keys[1], 'status', status, 'reason', reason, 'ended', ended, 'evaluations', evaluations, counter, count)
          else
            redis.call('HSET', keys[1], 'status', status, 'reason', reason, 'ended', ended, counter, count)
          end
          close_attempt(keys[2], attempt, suffix)
          redis.call('HDEL', keys[1], 'owner', 'lease_until', 'progress')
          redis.call('ZREM', keys[4], trial_id)
          move(keys[5], 'Running', status)
          return status
        end

        -- Queued: cancelled at once. Running: flagged, the worker stops and finishes it as Cancelled.
        local function cancel(trial, queue, sweep, trial_id, now, reason)
          if not live(sweep) then return 0 end
          local t = redis.call('HMGET', trial, 'status', 'cancel')
          if t[1] == 'Queued' then
            redis.call('HSET', trial, 'status', 'Cancelled', 'reason', reason, 'ended', now)
            redis.call('ZREM', queue, trial_id)
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
