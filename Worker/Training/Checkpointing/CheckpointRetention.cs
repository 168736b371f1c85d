using Experiments.Core.Checkpoints;

namespace Experiments.Worker.Training.Checkpointing;

/// <summary>
/// What a trial keeps on disk. While it runs, and when it ends without completing (failed, cancelled, diverged),
/// it keeps <c>last</c> (the point a retry or requeue resumes from) and, if its policy keeps one, <c>best</c>.
/// Once it has completed, and only after the completion is recorded (a crash before that must still find
/// <c>last</c> to resume from), it keeps exactly what its policy names. A deleted sweep's trials keep nothing.
/// </summary>
public static class CheckpointRetention
{
    /// <summary>Removes what a completed trial's policy does not keep; returns the names removed.</summary>
    public static IReadOnlyList<string> AfterCompletion(CheckpointStore store, string trialId, CheckpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        List<string> removed = [];
        if (!policy.KeepsLastAtEnd && store.Delete(trialId, CheckpointPolicy.Last))
            removed.Add(CheckpointPolicy.Last);
        if (!policy.KeepsBest && store.Delete(trialId, CheckpointPolicy.Best))
            removed.Add(CheckpointPolicy.Best);
        return removed;
    }
}
