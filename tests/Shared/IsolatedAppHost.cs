using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.Tests.Shared;

/// <summary>
/// Starts the real AppHost for a test fixture with its store data and checkpoints in the fixture's own temporary
/// folder (never a user's records) and a known API key, and waits until the Dashboard is healthy.
/// </summary>
internal static class IsolatedAppHost
{
    public static async Task<DistributedApplication> StartAsync(
        string dataDirectory,
        string apiKey,
        IEnumerable<string> extraArguments,
        bool withAspireDashboard = false,
        Action<ILoggingBuilder>? logging = null,
        Action<DistributedApplication>? beforeStart = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--Store:DataDirectory={Path.Combine(dataDirectory, "garnet")}",
                $"--Parameters:api-key={apiKey}",
                $"--Checkpoints:Root={Path.Combine(dataDirectory, "checkpoints")}",
                .. extraArguments,
            ],
            (options, _) => options.DisableDashboard = !withAspireDashboard);
        builder.Services.AddLogging(logging ?? (l => l.SetMinimumLevel(LogLevel.Warning)));
        var app = await builder.BuildAsync();
        beforeStart?.Invoke(app);
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await app.StartAsync(startup.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("dashboard", startup.Token);
        return app;
    }

    /// <summary>Deletes the fixture's folder; a store still closing its files leaves it to the OS temp cleaner.</summary>
    public static void DeleteDataDirectory(string dataDirectory)
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
