using Experiments.Core.Checkpoints;

namespace Experiments.Worker.Training.Checkpointing;

/// <summary>
/// What a trial keeps on disk. While it runs, and when it ends without completing (failed, cancelled, diverged),
/// it keeps its committed <c>last</c> (the point a retry or requeue resumes from) and, if its policy keeps one,
/// <c>best</c>. Once it has completed, and only after the completion is recorded (a crash before that must still find
/// <c>last</c> to resume from), it keeps exactly what its policy names of what its record committed; every other
/// checkpoint file of the trial (older attempts', a zombie attempt's) is removed. A deleted sweep's trials keep nothing.
/// </summary>
public static class CheckpointRetention
{
    /// <summary>Removes what a completed trial's policy does not keep; returns the files removed.</summary>
    /// <param name="committed">The files the trial's record names as its <c>last</c> and <c>best</c>.</param>
    public static IReadOnlyList<string> AfterCompletion(CheckpointStore store, string trialId, CheckpointPolicy policy, TrialCheckpoints committed)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(committed);
        HashSet<string> kept = new(StringComparer.Ordinal);
        if (policy.KeepsLastAtEnd && committed.Last is { } last)
            kept.Add(last);
        if (policy.KeepsBest && committed.Best is { } best)
            kept.Add(best);
        List<string> removed = [];
        foreach (var file in store.List(trialId))
        {
            if (!kept.Contains(file.Name) && store.Delete(trialId, file.Name))
                removed.Add(file.Name);
        }
        return removed;
    }
}
