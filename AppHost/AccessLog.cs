using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.AppHost;

/// <summary>
/// Prints how to reach the system once resources exist: like the Aspire dashboard's login link, the
/// generated API key and browser token appear in the AppHost's console (and as parameters in the dashboard).
/// </summary>
internal static partial class AccessLog
{
    public static IDistributedApplicationBuilder AnnounceAccess(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ParameterResource> apiKey,
        IResourceBuilder<ParameterResource> browserToken,
        IResourceBuilder<ProjectResource> dashboard)
    {
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Experiments.AppHost");
            var key = await apiKey.Resource.GetValueAsync(cancellationToken) ?? "";
            var token = await browserToken.Resource.GetValueAsync(cancellationToken) ?? "";
            var dashboardUrl = dashboard.GetEndpoint("http").Url;
            logger.AccessDetails(dashboardUrl, key, token);
        });
        return builder;
    }

    [LoggerMessage(1, LogLevel.Information, "Experiments Dashboard: {DashboardUrl}/account/signin?t={BrowserToken} | API: {DashboardUrl}/api with header X-Api-Key: {ApiKey}")]
    private static partial void AccessDetails(this ILogger logger, string dashboardUrl, string apiKey, string browserToken);
}
