namespace Experiments.Dashboard.Security;

/// <summary>The Dashboard UI's settings, bound from the <c>Dashboard</c> section and validated on start.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The sign-in token (the AppHost generates it as the <c>dashboard-token</c> parameter). Required.</summary>
    /// <remarks>A session is bound to a hash of the token it signed in with: a new token ends every session.</remarks>
    public string? BrowserToken { get; set; }

    /// <summary>Link to a trial's trace, e.g. <c>http://localhost:18888/traces/detail/{traceId}</c>; empty hides the link.</summary>
    public string? TraceUrlTemplate { get; set; }

    /// <summary>A session unused this long ends; each request in its second half renews it (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>However active, a session ends this long after its sign-in and the token must be entered again.</summary>
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromDays(7);
}
