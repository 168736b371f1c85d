namespace Experiments.Core.Records;

/// <summary>Where a trial is. Completed, Failed, Diverged and Cancelled are final and distinct.</summary>
public enum TrialStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Diverged,
    Cancelled,
}
