namespace Experiments.EndToEnd.Tests;

/// <summary>
/// A keyed client of the Dashboard that sends each request exactly once and leaves the request's own
/// <c>traceparent</c> header as the test set it.
/// </summary>
/// <remarks>
/// Tests that host a service in-process (<c>ZombieCheckpointTests</c> starts a Dashboard with its OpenTelemetry setup)
/// switch on OpenTelemetry's HttpClient instrumentation for the whole test process, and that instrumentation rewrites a
/// request's <c>traceparent</c> with its own client span's, a new trace. Without HttpClient diagnostics
/// (<see cref="SocketsHttpHandler.ActivityHeadersPropagator"/> null) nothing in this process sees the request. Sent once:
/// the testing client's resilience handler resends after a 10 s attempt timeout, and a resent submit is another sweep.
/// </remarks>
internal static class TraceKeepingHttpClient
{
    public static HttpClient Create(Uri baseAddress, string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
