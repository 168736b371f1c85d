using Microsoft.Extensions.Configuration;

namespace Experiments.AppHost;

/// <summary>Links from the Experiments Dashboard into the Aspire dashboard (where traces live).</summary>
internal static class AspireDashboardLinks
{
    /// <summary>The Aspire dashboard's trace page for a trace id, or empty (no link) when its address is unknown.</summary>
    public static string TraceUrlTemplate(IConfiguration configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrEmpty(url) ? "" : $"{url.TrimEnd('/')}/traces/detail/{{traceId}}";
    }
}
