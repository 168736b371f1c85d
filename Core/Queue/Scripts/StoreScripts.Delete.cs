namespace Experiments.Core.Queue.Scripts;

/// <summary>
/// Deleting a sweep takes three steps, because a sweep may have thousands of trials and one script must stay short:
/// <see cref="MarkDeleted"/> tombstones it (hidden at once; claims, reaps and every fenced write refuse it), then
/// <see cref="PurgeTrials"/> removes its trials' keys in batches, <see cref="PurgeSweepKeys"/> the keys under the
/// sweep's name, then <see cref="FinishDeletion"/> removes the sweep hash. The sweep is listed in <c>deleting</c> first and leaves it last, so a deletion cut short at any
/// point (a crash, a replayed prefix) is finished by the next purge, which repeats every step: each is idempotent.
/// </summary>
internal static partial class StoreScripts
{
    /// <summary>
    /// KEYS: sweeps, sweep, deleting. ARGV: sweep id, now ms. Returns the sweep's trial count, or nil when there
    /// is no such sweep (never submitted, or already deleted).
    /// </summary>
    public static readonly StoreScript MarkDeleted = new("""
        local count = redis.call('HGET', KEYS[3], ARGV[1])
        if not count then
          count = redis.call('HGET', KEYS[2], 'trial_count')
          if not count then return false end
          -- First: from here on, whatever happens, the next purge finishes this deletion.
          redis.call('HSET', KEYS[3], ARGV[1], count)
        end
        if redis.call('EXISTS', KEYS[2]) == 1 then
          redis.call('HSETNX', KEYS[2], 'deleted', ARGV[2])
        end
        redis.call('ZREM', KEYS[1], ARGV[1])
        return count
        """);

    /// <summary>
    /// KEYS: deleting, queue, leases, then per trial its keys (the trial hash first). ARGV: sweep id, keys per
    /// trial, trial id 1..n. Removes the trials' queue and lease entries and keys, each trial's hash last. Returns
    /// 0 when the sweep is no longer being deleted (another purge finished it), 1 otherwise.
    /// </summary>
    public static readonly StoreScript PurgeTrials = new("""
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        local per = tonumber(ARGV[2])
        for i = 3, #ARGV do
          redis.call('ZREM', KEYS[2], ARGV[i])
          redis.call('ZREM', KEYS[3], ARGV[i])
          local first = 4 + per * (i - 3)
          for k = first + per - 1, first, -1 do
            redis.call('DEL', KEYS[k])
          end
        end
        return 1
        """);

    /// <summary>
    /// KEYS: deleting, then keys under the sweep's own name (<c>sweep:&lt;id&gt;:…</c>, e.g. early termination's
    /// rungs). ARGV: sweep id. Removes them; returns 0 when the sweep is no longer being deleted, 1 otherwise.
    /// </summary>
    public static readonly StoreScript PurgeSweepKeys = new("""
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        for i = 2, #KEYS do
          redis.call('DEL', KEYS[i])
        end
        return 1
        """);

    /// <summary>
    /// KEYS: sweep, deleting, deleted. ARGV: sweep id, now ms. Run after every trial is purged: removes the sweep
    /// hash and records the sweep as deleted. Returns 1, or 0 when another purge finished it first.
    /// </summary>
    public static readonly StoreScript FinishDeletion = new("""
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
        """);
}
