using System.Diagnostics;

namespace Experiments.Dashboard;

/// <summary>The Dashboard's trace source and meter names (registered by ServiceDefaults through the "Experiments." prefix).</summary>
public static class DashboardTelemetry
{
    public const string Name = "Experiments.Dashboard";

    public static readonly ActivitySource ActivitySource = new(Name);
}
