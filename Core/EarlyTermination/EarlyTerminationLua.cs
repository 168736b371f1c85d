namespace Experiments.Core.EarlyTermination;

/// <summary>
/// The store-side decision, in Lua valid on Redis (5.1) and Garnet (5.4): the algorithm of README.md in this folder,
/// step for step as <see cref="EarlyTerminationLedger"/> does it. Numbers travel as the strings the caller sent or the
/// server returned (a stored score is reused as text), and counts go out through <c>string.format('%d')</c>, so no
/// Lua version formats a number its own way. Not yet part of the epoch-recording script: <see cref="Functions"/> is
/// what that script will include, <see cref="Standalone"/> runs it alone.
/// </summary>
public static class EarlyTerminationLua
{
    /// <summary>
    /// <c>early_terminate(keys, argv)</c> returns the decision record (<see cref="EarlyTerminationDecision.Encode"/>'s form).
    /// ARGV: mode, trial id, epoch, value, goal (max|min), then per mode: rung: bracket, rung, eta; median: startup_trials.
    /// KEYS: 1 the trial's decision hash, then per mode: rung: the rung's results; median: completed set, completed
    /// values at this epoch; complete: completed set, completed values at epochs 1..epoch; keep: nothing more.
    /// Writes: every write before the record is idempotent and the record (the commit point) comes last, so a prefix
    /// replayed after kill -9 is completed by the next report of the same epoch, never doubled (StoreScripts.Prelude).
    /// </summary>
    public const string Functions = """
        local et_unpack = table.unpack or unpack

        local function et_int(n) return string.format('%d', n) end

        -- A finite number, or nil for NaN, infinities and anything unreadable.
        local function et_finite(text)
          local v = tonumber(text)
          if v == nil or v ~= v or v == math.huge or v == -math.huge then return nil end
          return v
        end

        local function et_better(goal, a, b)
          if goal == 'max' then return a > b end
          return a < b
        end

        -- The commit point: written last, read first on a replay.
        local function et_commit(hash, epoch, fields)
          local record = table.concat(fields, '|')
          redis.call('HSET', hash, 'd:' .. epoch, record)
          return record
        end

        local function et_rung(keys, trial, epoch, text, goal, bracket, rung, eta)
          if not et_finite(text) then
            return et_commit(keys[1], epoch, {'prune', 'notfinite', epoch, bracket, rung, text, '0', '0', ''})
          end
          -- The first result at a rung stands: a replay cut short before its record reuses it.
          local stored = redis.call('ZSCORE', keys[2], trial)
          if stored then text = stored else redis.call('ZADD', keys[2], text, trial) end
          local n = redis.call('ZCARD', keys[2])
          local kept = math.max(1, math.floor(n / eta))
          local better, cut
          if goal == 'max' then
            better = redis.call('ZCOUNT', keys[2], '(' .. text, '+inf')
            cut = redis.call('ZREVRANGE', keys[2], et_int(kept - 1), et_int(kept - 1), 'WITHSCORES')[2]
          else
            better = redis.call('ZCOUNT', keys[2], '-inf', '(' .. text)
            cut = redis.call('ZRANGE', keys[2], et_int(kept - 1), et_int(kept - 1), 'WITHSCORES')[2]
          end
          local verdict = 'continue'
          if better >= kept then verdict = 'prune' end
          return et_commit(keys[1], epoch, {verdict, 'rung', epoch, bracket, rung, text, et_int(n), et_int(kept), cut})
        end

        local function et_keep(hash, epoch, text)
          if et_finite(text) then redis.call('HSETNX', hash, 'v:' .. epoch, text) end
        end

        local function et_median(keys, trial, epoch, text, goal, startup)
          if not et_finite(text) then
            return et_commit(keys[1], epoch, {'prune', 'notfinite', epoch, '', '', text, '0', '0', ''})
          end
          et_keep(keys[1], epoch, text)
          local fields = {}
          for e = 1, tonumber(epoch) do fields[e] = 'v:' .. et_int(e) end
          local values = redis.call('HMGET', keys[1], et_unpack(fields))
          local best, besttext
          for i = 1, #fields do
            if values[i] then
              local v = tonumber(values[i])
              if best == nil or et_better(goal, v, best) then best, besttext = v, values[i] end
            end
          end
          local completed = redis.call('SCARD', keys[2])
          if completed < math.max(1, startup) then
            return et_commit(keys[1], epoch, {'continue', 'startup', epoch, '', '', besttext, et_int(completed), et_int(startup), ''})
          end
          local n = redis.call('ZCARD', keys[3])
          if n == 0 then
            return et_commit(keys[1], epoch, {'continue', 'nopeers', epoch, '', '', besttext, '0', et_int(startup), ''})
          end
          local middle = redis.call('ZRANGE', keys[3], et_int(math.floor((n - 1) / 2)), et_int(math.floor(n / 2)), 'WITHSCORES')
          local median = middle[2]
          if n % 2 == 0 then
            -- numpy's linear percentile at t = 0.5: hi - (hi - lo) * 0.5, to the last bit.
            local lo, hi = tonumber(middle[2]), tonumber(middle[4])
            median = string.format('%.17g', hi - (hi - lo) * 0.5)
          end
          local verdict = 'continue'
          if et_better(goal, tonumber(median), best) then verdict = 'prune' end
          return et_commit(keys[1], epoch, {verdict, 'median', epoch, '', '', besttext, et_int(n), et_int(startup), median})
        end

        local function et_complete(keys, trial, epoch, text)
          et_keep(keys[1], epoch, text)
          for e = 1, #keys - 2 do
            local v = redis.call('HGET', keys[1], 'v:' .. et_int(e))
            if v then redis.call('ZADD', keys[2 + e], v, trial) end
          end
          redis.call('SADD', keys[2], trial)
          local last = redis.call('HGET', keys[1], 'v:' .. epoch) or text
          return et_commit(keys[1], epoch, {'continue', 'complete', epoch, '', '', last, et_int(redis.call('SCARD', keys[2])), '0', ''})
        end

        local function early_terminate(keys, argv)
          local mode, trial, epoch, text, goal = argv[1], argv[2], argv[3], argv[4], argv[5]
          if mode == 'keep' then
            et_keep(keys[1], epoch, text)
            return table.concat({'continue', 'warmup', epoch, '', '', text, '0', '0', ''}, '|')
          end
          local recorded = redis.call('HGET', keys[1], 'd:' .. epoch)
          if recorded then return recorded end
          if mode == 'rung' then return et_rung(keys, trial, epoch, text, goal, argv[6], argv[7], tonumber(argv[8])) end
          if mode == 'median' then return et_median(keys, trial, epoch, text, goal, tonumber(argv[6])) end
          if mode == 'complete' then return et_complete(keys, trial, epoch, text) end
          error('early_terminate: unknown mode ' .. tostring(mode))
        end

        """;

    /// <summary>The decision as a script of its own (KEYS and ARGV as <see cref="Functions"/> describes).</summary>
    public const string Standalone = Functions + "return early_terminate(KEYS, ARGV)\n";
}
