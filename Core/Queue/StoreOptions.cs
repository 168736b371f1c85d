namespace Experiments.Core.Queue;

/// <summary>Queue behaviour; bound from the <c>Store</c> configuration section and validated on start.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>Prefix of every key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "exp:";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a trial is parked as Failed.</summary>
    public int MaxAttempts { get; set; } = 3;
}
