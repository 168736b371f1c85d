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
        IResourceBuilder<ParameterResource> browserToken)
    {
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Experiments.AppHost");
            var key = await apiKey.Resource.GetValueAsync(cancellationToken) ?? "";
            var token = await browserToken.Resource.GetValueAsync(cancellationToken) ?? "";
            logger.AccessDetails(key, token);
        });
        return builder;
    }

    [LoggerMessage(1, LogLevel.Information, "Experiments API key (X-Api-Key header): {ApiKey} | Dashboard sign-in token: {BrowserToken}")]
    private static partial void AccessDetails(this ILogger logger, string apiKey, string browserToken);
}
