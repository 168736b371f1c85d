namespace Experiments.Core.Records;

/// <summary>Where a trial is. Completed, Failed, Diverged, Cancelled and Pruned are final and distinct.</summary>
public enum TrialStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Diverged,
    Cancelled,

    /// <summary>Stopped early by the sweep's early-termination rule; it kept its checkpoints and its test evaluation.</summary>
    Pruned,
}
