using System.Globalization;
using Experiments.Core.Queue.Scripts;
using StackExchange.Redis;

namespace Experiments.Core.EarlyTermination;

/// <summary>
/// Runs <see cref="EarlyTerminationLua.Standalone"/> for one sweep: the store-side twin of
/// <see cref="EarlyTerminationLedger"/>, with the same arguments. The conformance tests drive both; the queue will
/// pass the same KEYS and ARGV from its epoch-recording script.
/// </summary>
internal sealed class StoreEarlyTermination(IConnectionMultiplexer redis, string keyPrefix, EarlyTerminationPolicy policy)
{
    private static readonly StoreScript Script = new(EarlyTerminationLua.Standalone);

    private readonly EarlyTerminationKeys _keys = new(keyPrefix);

    public async Task<EarlyTerminationDecision> ReportAsync(string trialId, int trialIndex, int epoch, int lastEpoch, double value)
    {
        var check = policy.CheckFor(trialIndex, epoch, lastEpoch);
        if (check.Kind == EpochCheckKind.None)
        {
            return EarlyTerminationDecision.Unchecked(epoch, value);
        }

        var (keys, arguments) = Arguments(check, trialId, value);
        var record = (string?)await Script.EvaluateAsync(redis.GetDatabase(), keys, arguments).ConfigureAwait(false);
        return EarlyTerminationDecision.Parse(record ?? throw new InvalidOperationException("The early-termination script returned nothing."));
    }

    /// <summary>KEYS and ARGV for one report, as <see cref="EarlyTerminationLua.Functions"/> documents them.</summary>
    public (RedisKey[] Keys, RedisValue[] Arguments) Arguments(EpochCheck check, string trialId, double value)
    {
        ArgumentNullException.ThrowIfNull(check);
        var sweep = policy.SweepId;
        var goal = policy.Goal == MetricGoal.Maximize ? "max" : "min";
        RedisValue[] common = [Mode(check.Kind), trialId, Text(check.Epoch), value.ToString("R", CultureInfo.InvariantCulture), goal];
        return check.Kind switch
        {
            EpochCheckKind.Rung => (
                [_keys.Trial(trialId), _keys.Rung(sweep, check.Bracket!.Value, check.Rung!.Value)],
                [.. common, Text(check.Bracket.Value), Text(check.Rung.Value), Text(policy.Spec.ReductionFactor)]),
            EpochCheckKind.Median => (
                [_keys.Trial(trialId), _keys.Completed(sweep), _keys.CompletedAt(sweep, check.Epoch)],
                [.. common, Text(policy.Spec.StartupTrials)]),
            EpochCheckKind.Complete => (
                [_keys.Trial(trialId), _keys.Completed(sweep), .. Enumerable.Range(1, check.Epoch).Select(e => _keys.CompletedAt(sweep, e))],
                common),
            _ => ([_keys.Trial(trialId)], common),
        };
    }

    private static string Mode(EpochCheckKind kind) => kind switch
    {
        EpochCheckKind.Rung => "rung",
        EpochCheckKind.Median => "median",
        EpochCheckKind.Complete => "complete",
        EpochCheckKind.KeepValue => "keep",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "This check needs no store."),
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
