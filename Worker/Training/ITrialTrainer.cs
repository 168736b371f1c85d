using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Worker.Training;

/// <summary>Trains one attempt of one trial; the Worker host calls it with a lease held.</summary>
public interface ITrialTrainer
{
    /// <summary>
    /// Runs the trial to its end (resuming from its <c>last</c> checkpoint when one exists). Throws
    /// <see cref="OperationCanceledException"/> when cancelled or when the observer reports the lease lost.
    /// </summary>
    Task<TrialOutcome> TrainAsync(TrialRun run, ITrainingObserver observer, CancellationToken cancellationToken);

    /// <summary>
    /// How soon after its token is cancelled <see cref="TrainAsync"/> is certain to end, even when the trainer is wedged
    /// (a child process is killed); null when a wedged trainer cannot be stopped (a thread of this process).
    /// </summary>
    TimeSpan? StopsWithin => null;
}

/// <summary>One attempt to run. <paramref name="Device"/> is already resolved: <c>cpu</c> or <c>cuda:0</c>.</summary>
public sealed record TrialRun(string TrialId, int Attempt, TrainingConfig Config, string Device)
{
    /// <summary>
    /// The checkpoint files the trial's record committed when this attempt started: it resumes from their
    /// <c>last</c>. The fixed <c>last</c>/<c>best</c> for a local run.
    /// </summary>
    public TrialCheckpoints Committed { get; init; } = TrialCheckpoints.Fixed;

    /// <summary>
    /// True for a queued trial's attempt: it writes each epoch to files of its own (<see cref="TrialCheckpoints.ForEpoch"/>)
    /// that its epoch report commits, so an attempt that lost its lease never changes what another reads. False for a
    /// local run, which rewrites the fixed files in place.
    /// </summary>
    public bool PerAttemptFiles { get; init; }

    /// <summary>What the record of the trial named by <c>init_from</c> commits, when that is a trial; else the fixed names.</summary>
    public TrialCheckpoints InitFromCommitted { get; init; } = TrialCheckpoints.Fixed;
}

/// <summary>What the trainer tells its host while it runs.</summary>
public interface ITrainingObserver
{
    /// <summary>
    /// Called once per epoch AFTER the epoch's checkpoint is durable. Returns false when the lease is lost: the
    /// trainer then stops at once (throws <see cref="OperationCanceledException"/>).
    /// </summary>
    /// <param name="checkpoints">
    /// The files holding this epoch (<c>last</c>) and the best so far: the host commits them with the epoch, fenced.
    /// </param>
    Task<bool> EpochCompletedAsync(EpochMetrics metrics, TrialCheckpoints checkpoints, CancellationToken cancellationToken);

    /// <summary>
    /// Set once an epoch report was answered with an early-termination prune: the reason (rung and comparison). The
    /// trainer then starts no further batch, evaluates what it has on the test set as for a completed trial, and
    /// returns <see cref="TrialOutcome.Pruned"/>. Null while the trial may continue.
    /// </summary>
    string? PruneReason => null;

    /// <summary>
    /// True once the host's watchdog found the trainer hung: a trainer that can be killed is killed at once, without
    /// the grace a stop request gets (it would not hear the request, and its lease is no longer renewed).
    /// </summary>
    bool Hung => false;

    /// <summary>Human-readable progress lines (download, per-epoch summary).</summary>
    void Progress(string message);

    /// <summary>
    /// Called on the training thread after every training batch, before the cancellation check of the next one:
    /// it must return at once. A token cancelled here stops training before another batch starts.
    /// </summary>
    void BatchCompleted(BatchProgress progress)
    {
    }

    /// <summary>
    /// Called on the training thread when work other than a training batch moves on (the model is ready, an evaluation
    /// batch or a checkpoint is done): a sign of life for the hung-trainer watchdog. It must return at once.
    /// </summary>
    void StillWorking()
    {
    }
}

/// <summary>
/// Where training stands after a batch: <paramref name="Batch"/> of <paramref name="BatchesPerEpoch"/> in
/// <paramref name="Epoch"/>, the mean training loss over this epoch's batches so far, its images and seconds so far.
/// </summary>
public readonly record struct BatchProgress(int Epoch, long Batch, long BatchesPerEpoch, double Loss = 0, long Images = 0, double Seconds = 0)
{
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}
