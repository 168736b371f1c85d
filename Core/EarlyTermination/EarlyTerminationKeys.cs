using System.Globalization;
using StackExchange.Redis;

namespace Experiments.Core.EarlyTermination;

/// <summary>
/// The keys early termination keeps, beside the queue's (<c>StoreKeys</c>) under the same prefix; they move into
/// <c>StoreKeys</c> when the decision joins the epoch-recording script. Every one goes in the script's KEYS.
/// </summary>
internal sealed class EarlyTerminationKeys(string prefix)
{
    /// <summary>Hash: <c>v:&lt;epoch&gt;</c> the trial's first value per epoch (median), <c>d:&lt;epoch&gt;</c> its decision records.</summary>
    public RedisKey Trial(string trialId) => prefix + "trial:" + trialId + ":et";

    /// <summary>Sorted set: trial id by its value at rung <paramref name="rung"/> of bracket <paramref name="bracket"/>.</summary>
    public RedisKey Rung(string sweepId, int bracket, int rung) =>
        prefix + "sweep:" + sweepId + ":et:rung:" + Text(bracket) + ":" + Text(rung);

    /// <summary>Set: the trials that completed (median's pool and its startup count).</summary>
    public RedisKey Completed(string sweepId) => prefix + "sweep:" + sweepId + ":et:completed";

    /// <summary>Sorted set: completed trial id by its value at <paramref name="epoch"/>.</summary>
    public RedisKey CompletedAt(string sweepId, int epoch) => prefix + "sweep:" + sweepId + ":et:epoch:" + Text(epoch);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
