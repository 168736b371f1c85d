using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>
/// Every key and channel the store uses, under one prefix. Scripts name each key they touch in KEYS:
/// Garnet (in Lua transaction mode) locks exactly those keys, so an undeclared key would not be protected.
/// A key is only ever built from a well-formed id (<see cref="StoreIds"/>): a caller's id can never name another key.
/// </summary>
internal sealed class StoreKeys(string prefix)
{
    /// <summary>Sorted set of sweep ids by creation time (ms).</summary>
    public RedisKey Sweeps { get; } = prefix + "sweeps";

    /// <summary>Sorted set of queued trial ids by <see cref="QueueScore"/>.</summary>
    public RedisKey Queue { get; } = prefix + "queue";

    /// <summary>Sorted set of running trial ids by lease expiry (ms).</summary>
    public RedisKey Leases { get; } = prefix + "leases";

    /// <summary>Hash of sweeps being deleted (id to trial count): tombstoned, their keys not yet all removed.</summary>
    public RedisKey Deleting { get; } = prefix + "deleting";

    /// <summary>
    /// Sorted set of deleted sweep ids by deletion time (ms). Kept so a worker on any machine can tell that a
    /// checkpoint folder belongs to a deleted sweep, and so an id is never handed out twice.
    /// </summary>
    public RedisKey Deleted { get; } = prefix + "deleted";

    /// <summary>
    /// Sorted set of model-based (tpe) sweep ids with budget left, by creation time (ms): where a worker that finds
    /// the queue empty looks for a trial to propose.
    /// </summary>
    public RedisKey Growing { get; } = prefix + "sweeps:growing";

    /// <summary>Published after work is queued so idle workers wake up.</summary>
    public RedisChannel Work { get; } = RedisChannel.Literal(prefix + "work");

    public RedisKey Sweep(string sweepId) => prefix + "sweep:" + Checked(sweepId, StoreIds.IsSweepId(sweepId));

    public RedisKey Trial(string trialId) => prefix + "trial:" + Checked(trialId, StoreIds.IsTrialId(trialId));

    /// <summary>List of attempt records (JSON); entry i is attempt i + 1.</summary>
    public RedisKey Attempts(string trialId) => prefix + "trial:" + Checked(trialId, StoreIds.IsTrialId(trialId)) + ":attempts";

    /// <summary>Hash from epoch number to its <c>EpochMetrics</c> JSON.</summary>
    public RedisKey Epochs(string trialId) => prefix + "trial:" + Checked(trialId, StoreIds.IsTrialId(trialId)) + ":epochs";

    /// <summary>Every key of one trial, its hash first (a deletion removes the hash last).</summary>
    public RedisKey[] AllOfTrial(string trialId) =>
        [Trial(trialId), Attempts(trialId), Epochs(trialId), new EarlyTermination.EarlyTerminationKeys(prefix).Trial(trialId)];

    /// <summary>
    /// Hash from running trial id to its latest in-epoch progress (<c>TrialProgress</c> JSON): what the sweep list needs
    /// without reading trials. Under the sweep's name, so a deletion removes it with the sweep's other keys.
    /// </summary>
    public RedisKey Progress(string sweepId) => prefix + "sweep:" + Checked(sweepId, StoreIds.IsSweepId(sweepId)) + ":progress";

    /// <summary>A SCAN pattern for the keys under a sweep's own name (<c>sweep:&lt;id&gt;:…</c>), not the sweep hash itself.</summary>
    public RedisValue UnderSweepPattern(string sweepId) => GlobEscape(prefix + "sweep:" + Checked(sweepId, StoreIds.IsSweepId(sweepId)) + ":") + "*";

    private static string GlobEscape(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));

    private static string Checked(string id, bool wellFormed) =>
        wellFormed ? id : throw new ArgumentException($"'{id}' is not a store id; check ids with StoreIds before building keys.", nameof(id));
}
