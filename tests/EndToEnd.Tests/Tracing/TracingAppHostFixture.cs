using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests.Tracing;

/// <summary>
/// The real AppHost with the Aspire dashboard running (the testing builder turns it off by default), so services
/// export their telemetry over OTLP exactly as under <c>dotnet run</c> and the test reads it back from the
/// dashboard's telemetry HTTP API.
/// </summary>
public sealed class TracingAppHostFixture : IAsyncLifetime
{
    public const string ApiKey = "tracing-test-api-key-0123456789abcdef";
    private const string TelemetryApiKey = "tracing-test-telemetry-key-0123456789";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("experiments-trace-").FullName;
    private readonly System.Diagnostics.Stopwatch _sinceStarted = new();
    private DistributedApplication? _app;

    /// <summary>How long every resource has been up.</summary>
    public TimeSpan SinceStarted => _sinceStarted.Elapsed;

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The Experiments Dashboard (our HTTP API), with the key every route needs.</summary>
    public HttpClient CreateDashboardClient()
    {
        var client = App.CreateHttpClient("dashboard");
        client.Timeout = TimeSpan.FromSeconds(60);
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>The Aspire dashboard, authenticated for <c>/api/telemetry/*</c>.</summary>
    public HttpClient CreateTelemetryClient()
    {
        // The testing builder randomizes ports: the dashboard is reached where its endpoint was allocated.
        var client = new HttpClient { BaseAddress = App.GetEndpoint("aspire-dashboard", "http"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", TelemetryApiKey);
        return client;
    }

    public async Task InitializeAsync()
    {
        string[] args =
        [
            // What the http launch profile gives `dotnet run`; DCP still puts each behind a proxy on a random port.
            $"--ASPNETCORE_URLS=http://127.0.0.1:{FreeLoopbackPort()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreeLoopbackPort()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreeLoopbackPort()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            "--ASPIRE_VERSION_CHECK_DISABLED=true",
            $"--AppHost:DashboardApiKey={TelemetryApiKey}",
        ];
        _app = await IsolatedAppHost.StartAsync(_dataDirectory, ApiKey, args, withAspireDashboard: true);
        _sinceStarted.Start();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        IsolatedAppHost.DeleteDataDirectory(_dataDirectory);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
