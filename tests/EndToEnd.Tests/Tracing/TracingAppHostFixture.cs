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

    /// <summary>
    /// The Experiments Dashboard (our HTTP API), with the key every route needs; each request is sent once, with the
    /// traceparent the test set (see <see cref="TraceKeepingHttpClient"/>).
    /// </summary>
    public HttpClient CreateDashboardClient() => TraceKeepingHttpClient.Create(App.GetEndpoint("dashboard", "http"), ApiKey);

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
            $"--ASPNETCORE_URLS=http://127.0.0.1:{LoopbackPorts.Free()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            "--ASPIRE_VERSION_CHECK_DISABLED=true",
            $"--AppHost:DashboardApiKey={TelemetryApiKey}",
        ];
        _app = await IsolatedAppHost.StartAsync(_dataDirectory, ApiKey, args, withAspireDashboard: true);
        _sinceStarted.Start();
        await WaitUntilTracesArriveAsync();
    }

    /// <summary>
    /// The services start exporting while the Aspire dashboard may still be starting (slowly, on a loaded machine), and
    /// a batch exported before its OTLP endpoint listens is lost for good. A test whose spans went that way saw an empty
    /// trace; so the tests start once a request's trace has come back (each try a new request, in a trace of its own).
    /// </summary>
    private async Task WaitUntilTracesArriveAsync()
    {
        using var dashboard = CreateDashboardClient();
        using var aspire = CreateTelemetryClient();
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    return await RequestTraceArrivesAsync(dashboard, aspire);
                }
                catch (TaskCanceledException)
                {
                    // A first request to a cold Dashboard on a loaded machine can outlast a client's timeout (seen at a
                    // load average of 35): it is a trace that did not arrive, tried again with a new request.
                    return false;
                }
            },
            "the Aspire dashboard to receive a request's spans",
            timeout: TimeSpan.FromMinutes(4));
    }

    /// <summary>Sends one request in a trace of its own; true once any of its spans is in the Aspire dashboard (up to 20 s).</summary>
    private static async Task<bool> RequestTraceArrivesAsync(HttpClient dashboard, HttpClient aspire)
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await dashboard.SendAsync(request);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if ((await TelemetrySpans.ReadTraceAsync(aspire, traceId, CancellationToken.None)).Spans.Count > 0)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return false;
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
