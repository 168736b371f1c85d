using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests;

/// <summary>
/// The whole system from the real AppHost: embedded Garnet, a worker, the Dashboard with its API. Started once
/// for the class; the store keeps its data in a temporary folder so tests never touch a user's records.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const string ApiKey = "end-to-end-test-api-key-0123456789";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("experiments-e2e-").FullName;
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The checkpoint folder the AppHost gives the workers and the Dashboard.</summary>
    public string CheckpointRoot => Path.Combine(_dataDirectory, "checkpoints");

    /// <summary>A client of the Dashboard's API holding the key, as a script would (every route needs it).</summary>
    public HttpClient CreateDashboardClient()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>A keyed client that sends each request once, with the traceparent the test set (see <see cref="TraceKeepingHttpClient"/>).</summary>
    public HttpClient CreateSingleAttemptDashboardClient() => TraceKeepingHttpClient.Create(App.GetEndpoint("dashboard", "http"), ApiKey);

    /// <summary>A client without the key or a session.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = App.CreateHttpClient("dashboard");
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    public async Task InitializeAsync()
    {
        _app = await IsolatedAppHost.StartAsync(_dataDirectory, ApiKey, []);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        IsolatedAppHost.DeleteDataDirectory(_dataDirectory);
    }
}
