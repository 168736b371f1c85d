namespace Experiments.Core.Queue;

/// <summary>Queue behaviour; bound from the <c>Store</c> configuration section and validated on start.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>Prefix of every key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "exp:";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Failures the trial itself causes (an exception in training, a crash it reports) before it is parked as Failed.
    /// Interruptions do not count here.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Interruptions by the infrastructure (worker lost, graceful stop, store unreachable, preemption) before a trial
    /// is parked as Failed: a separate, larger budget, so lost machines do not use up the trial's own attempts.
    /// </summary>
    public int MaxInterruptions { get; set; } = 10;
}
