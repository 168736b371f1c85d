using Experiments.Core.EarlyTermination;

namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>
    /// The early-termination decision as a step of the fenced epoch record (<see cref="RecordEpoch"/>), so it is
    /// made atomically with the epoch it judges, from the store's records, whichever worker on whichever machine
    /// reports. <c>decide_epoch(keys, argv)</c> passes KEYS from 4 and ARGV from 12 (after <see cref="EpochArguments"/>) to
    /// <see cref="EarlyTerminationLua.Functions"/>' <c>early_terminate</c> and returns its decision record. A prune also
    /// sets the trial's <c>prune</c> field (first one stands): written after the decision record, so a crash between
    /// the two leaves a record whose replay writes the field again.
    /// </summary>
    public const string EarlyTerminationStep = EarlyTerminationLua.Functions + """
        local function decide_epoch(keys, argv)
          local et_keys, et_argv = {}, {}
          for i = 4, #keys do et_keys[#et_keys + 1] = keys[i] end
          for i = 12, #argv do et_argv[#et_argv + 1] = argv[i] end
          local decision = early_terminate(et_keys, et_argv)
          if string.sub(decision, 1, 6) == 'prune|' then redis.call('HSETNX', keys[1], 'prune', decision) end
          return decision
        end

        """;
}
