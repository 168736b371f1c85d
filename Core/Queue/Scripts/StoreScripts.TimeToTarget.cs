namespace Experiments.Core.Queue.Scripts;

internal static partial class StoreScripts
{
    /// <summary>ARGV of <see cref="RecordEpoch"/> before the early-termination arguments.</summary>
    public const int EpochArguments = 11;

    /// <summary>
    /// Time to target as a step of the fenced epoch record (<see cref="RecordEpoch"/>). <c>time_to_target(trial, sweep,
    /// argv)</c> adds the epoch's training seconds (ARGV 5) to the trial's <c>wall_seconds</c> once: <c>wall_epoch</c>,
    /// written in the same HSET, is the last epoch counted, so a replayed epoch (after a crash or a lost lease) adds
    /// nothing, and a report cut short by a crash after the epoch's record is completed by its replay. The first
    /// epoch whose value of the sweep's metric (ARGV 6-9: val_accuracy, val_loss, train_accuracy, train_loss; '' when
    /// not finite) reaches <c>metric_target</c> (at least it when maximizing, at most when minimizing) is kept as
    /// <c>target_epoch</c> with <c>target_seconds</c>, the training time summed over attempts up to and including it.
    /// </summary>
    public const string TimeToTargetStep = """
        local metric_columns = { val_accuracy = 6, val_loss = 7, train_accuracy = 8, train_loss = 9 }

        local function time_to_target(trial, sweep, argv)
          local epoch = tonumber(argv[3])
          local t = redis.call('HMGET', trial, 'wall_epoch', 'wall_seconds', 'target_epoch')
          if tonumber(t[1] or '0') >= epoch then return end
          local total = string.format('%.17g', tonumber(t[2] or '0') + (tonumber(argv[5]) or 0))
          local s = redis.call('HMGET', sweep, 'metric_target', 'metric_name', 'metric_goal')
          local column = metric_columns[s[2] or '']
          local value = column and tonumber(argv[column])
          local target = s[1] and tonumber(s[1])
          if not t[3] and value and target and ((s[3] == 'minimize' and value <= target) or (s[3] ~= 'minimize' and value >= target)) then
            redis.call('HSET', trial, 'wall_epoch', argv[3], 'wall_seconds', total, 'target_epoch', argv[3], 'target_seconds', total)
          else
            redis.call('HSET', trial, 'wall_epoch', argv[3], 'wall_seconds', total)
          end
        end

        """;
}
