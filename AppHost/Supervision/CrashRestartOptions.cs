namespace Experiments.AppHost.Supervision;

/// <summary>
/// How the AppHost brings back a supervised resource that exited without being asked to (section <c>Supervision</c>).
/// The n-th restart in a row waits <see cref="InitialBackoff"/> x 2^(n-1), at most <see cref="MaxBackoff"/>; a resource
/// that stayed up for <see cref="StableAfter"/> before it crashed starts again from <see cref="InitialBackoff"/>.
/// </summary>
public sealed class CrashRestartOptions
{
    public const string SectionName = "Supervision";

    /// <summary>Restart crashed resources at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The wait before the first restart after a crash (default 1 s).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts of a resource that keeps crashing (default 60 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a resource must have run for its next crash to count as the first again (default 2 min).</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromMinutes(2);
}
