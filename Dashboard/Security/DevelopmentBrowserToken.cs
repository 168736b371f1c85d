using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>In Development only, fills an empty browser token with a random one and logs it, as the Aspire dashboard does.</summary>
public sealed partial class DevelopmentBrowserToken(IHostEnvironment environment, ILogger<DevelopmentBrowserToken> logger)
    : IPostConfigureOptions<DashboardOptions>
{
    public void PostConfigure(string? name, DashboardOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.BrowserToken) || !environment.IsDevelopment())
        {
            return;
        }

        options.BrowserToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        LogGeneratedToken(logger, options.BrowserToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard:BrowserToken was empty; generated one for this run. Sign in at /account/signin?t={Token}")]
    private static partial void LogGeneratedToken(ILogger logger, string token);
}
