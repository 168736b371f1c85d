using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests.Supervision;

/// <summary>
/// The real AppHost with one worker, a short lease (a killed worker's trial is reaped in seconds, not the default
/// 30 s) and the default crash-restart backoff, started once for the supervision tests. Derived fixtures change the
/// settings (<see cref="Arguments"/>), e.g. the chaos test's two workers.
/// </summary>
public class SupervisedAppHostFixture : IAsyncLifetime
{
    public const string ApiKey = "supervision-test-api-key-0123456789";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("experiments-supervision-").FullName;
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The AppHost's settings beyond the isolated data folder and API key.</summary>
    protected virtual IEnumerable<string> Arguments => ["--Workers:Cpu=1", $"--Store:LeaseDuration={Lease:c}"];

    /// <summary>Whether the Aspire dashboard runs too (and with it the OTLP endpoint the services export to).</summary>
    protected virtual bool WithAspireDashboard => false;

    /// <summary>The lease the workers hold a trial for: a lost worker's trial is reaped this long after its last renewal.</summary>
    public virtual TimeSpan Lease => TimeSpan.FromSeconds(10);

    public HttpClient CreateDashboardClient()
    {
        var client = App.CreateHttpClient("dashboard");
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    // One trial of one epoch on 64 generated images: the least training that still goes through claim, epoch
    // record and finish.
    private const string OneTrialSweep = """
        name: supervision
        method: grid
        base: { dataset: synthetic, synthetic_size: 64, epochs: 1, batch_size: 16, stem: cifar, seed: 0 }
        parameters:
          lr: { values: [0.001] }
        """;

    /// <summary>Submits a one-trial synthetic sweep, retrying a 503 as the API asks.</summary>
    public static async Task<string> SubmitTinySweepAsync(HttpClient client)
    {
        var text = OneTrialSweep;
        var submitted = await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await client.PostAsync("/api/sweeps", new StringContent(text, Encoding.UTF8, "application/yaml"));
                    return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
                }
                catch (TaskCanceledException)
                {
                    // A submit that timed out may still be stored; a second sweep does no harm to these tests.
                    return null;
                }
            },
            answer => answer is not null,
            "the sweep to be accepted (201)",
            TimeSpan.FromMinutes(2),
            TimeSpan.FromSeconds(2));
        return submitted!.Value.GetProperty("sweep_id").GetString()!;
    }

    /// <summary>Waits until every trial of the sweep completed; fails at once if one is parked as failed.</summary>
    public static Task WaitUntilCompletedAsync(HttpClient client, string sweepId) => Eventually.UntilAsync(
        async () =>
        {
            try
            {
                var sweep = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{sweepId}");
                return sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("status").GetString()!).ToList();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // 503 while the store restarts, or a slow answer: ask again.
                return [];
            }
        },
        statuses =>
        {
            Assert.DoesNotContain("failed", statuses);
            return statuses.Count > 0 && statuses.All(s => s == "completed");
        },
        $"every trial of sweep {sweepId} to complete (statuses)",
        TimeSpan.FromMinutes(3),
        TimeSpan.FromSeconds(1));

    /// <summary>Waits until the API answers a read with 200.</summary>
    public static Task ApiAnswersAsync(HttpClient client) => Eventually.UntilAsync(
        async () =>
        {
            try
            {
                using var response = await client.GetAsync("/api/sweeps?take=1");
                return response.StatusCode;
            }
            catch (TaskCanceledException)
            {
                return HttpStatusCode.RequestTimeout;
            }
        },
        status => status == HttpStatusCode.OK,
        "the Dashboard API to answer 200 (last status)",
        TimeSpan.FromMinutes(2),
        TimeSpan.FromSeconds(1));

    public virtual async Task InitializeAsync()
    {
        _app = await IsolatedAppHost.StartAsync(_dataDirectory, ApiKey, Arguments, WithAspireDashboard);
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
