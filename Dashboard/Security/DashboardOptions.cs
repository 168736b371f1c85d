namespace Experiments.Dashboard.Security;

/// <summary>The Dashboard UI's settings, bound from the <c>Dashboard</c> section and validated on start.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The sign-in token the AppHost generates; in Development an empty one is generated at start and logged.</summary>
    public string? BrowserToken { get; set; }

    /// <summary>Link to a trial's trace, e.g. <c>http://localhost:18888/traces/detail/{traceId}</c>; empty hides the link.</summary>
    public string? TraceUrlTemplate { get; set; }

    /// <summary>How long a sign-in lasts.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromDays(3);
}
