using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// The whole Dashboard process (API, pages, downloads) built by the app's own <c>AddDashboard</c>/<c>MapDashboard</c>,
/// on a real Kestrel port, over a real store server the test may kill. Every log line is captured.
/// </summary>
internal sealed partial class DashboardApp : IAsyncDisposable
{
    public const string ApiKey = "dashboard-app-test-api-key-0123456789";
    public const string Token = "dashboard-app-test-token-0123456789";

    private readonly WebApplication _app;
    private readonly string _checkpoints;

    private DashboardApp(WebApplication app, Uri address, CapturedLogs logs, string checkpoints)
    {
        _app = app;
        Address = address;
        Logs = logs;
        _checkpoints = checkpoints;
    }

    public Uri Address { get; }

    public CapturedLogs Logs { get; }

    /// <summary>The app's own services, for a test to watch what a page would.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The app's checkpoint root (a temporary folder, deleted with the app).</summary>
    public string CheckpointRoot => _checkpoints;

    /// <summary>The app's data folder (<c>Data:Root</c>): absent until a test puts a data set there; deleted with the app.</summary>
    public string DataRoot => _checkpoints + "-data";

    /// <summary>Every route that is not a page: the API and the downloads, with their methods.</summary>
    public IReadOnlyList<Route> Routes => [.. ((IEndpointRouteBuilder)_app).DataSources
        .SelectMany(d => d.Endpoints)
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("/export", StringComparison.Ordinal) || raw.StartsWith("/checkpoints", StringComparison.Ordinal)))
        .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Route(m, e.RoutePattern.RawText!)))];

    public static async Task<DashboardApp> StartAsync(StoreServer store)
    {
        var logs = new CapturedLogs();
        var checkpoints = Directory.CreateTempSubdirectory("experiments-dashboard-ckpt-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Experiments.Dashboard",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:store", store.ConnectionString),
            new("Api:Key", ApiKey),
            new("Dashboard:BrowserToken", Token),
            new("Checkpoints:Root", checkpoints),
            new("Data:Root", checkpoints + "-data"),
        ]);
        builder.AddDashboard();
        var app = builder.Build();
        app.MapDashboard();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardApp(app, new Uri(address), logs, checkpoints);
    }

    /// <summary>A client that shows redirects and keeps no cookies unless given a container.</summary>
    public HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A client signed in through the AppHost's sign-in link.</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = Client(new CookieContainer());
        using var signIn = await client.GetAsync($"/account/signin?t={Token}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    /// <summary>Submits the README's smoke sweep with the key; its trials stay queued (no worker runs here).</summary>
    public async Task<(string SweepId, string TrialId)> SubmitSmokeSweepAsync()
    {
        using var client = Client();
        using var request = SmokeSubmit(withKey: true);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("sweep_id").GetString()!, body.RootElement.GetProperty("trial_ids")[0].GetString()!);
    }

    /// <summary>A GET of <paramref name="path"/> with the API key, as a script would send it.</summary>
    public static HttpRequestMessage KeyedGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", ApiKey);
        return request;
    }

    public static HttpRequestMessage SmokeSubmit(bool withKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), Encoding.UTF8, "application/yaml"),
        };
        if (withKey)
        {
            request.Headers.Add("X-Api-Key", ApiKey);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_checkpoints, recursive: true);
        if (Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    /// <summary>One method on one route pattern, e.g. <c>POST /api/trials/{id}/cancel</c>.</summary>
    public sealed partial record Route(string Method, string Pattern)
    {
        public bool TakesAnId => IdParameters().Any();

        public bool IsApi => Pattern.StartsWith("/api", StringComparison.Ordinal);

        /// <summary>
        /// False for the routes that read only files (data set images), never the store. Checkpoint downloads read the
        /// trial's record: it names the committed files.
        /// </summary>
        public bool ReadsTheStore => !Pattern.StartsWith("/api/datasets", StringComparison.Ordinal);

        /// <summary>The path with each id replaced as <paramref name="idFor"/> says ("sweep" or "trial").</summary>
        public string Path(Func<string, string> idFor) => Parameter().Replace(Pattern, match => match.Groups[1].Value switch
        {
            "format" => "csv",
            "name" => Pattern.StartsWith("/api/datasets", StringComparison.Ordinal) ? "synthetic" : "last",
            "split" => "test",
            "checkpoint" => "last",
            "index" or "rank" => "0",
            var name => idFor(KindOf(name, match.Index)),
        });

        public HttpRequestMessage Request(Func<string, string> idFor, bool withKey)
        {
            var path = Path(idFor);
            var request = Method == "POST" && path == "/api/sweeps" ? SmokeSubmit(false) : new HttpRequestMessage(new HttpMethod(Method), path);
            if (withKey)
            {
                request.Headers.Add("X-Api-Key", ApiKey);
            }

            return request;
        }

        public override string ToString() => $"{Method} {Pattern}";

        private IEnumerable<string> IdParameters() =>
            Parameter().Matches(Pattern).Select(m => m.Groups[1].Value).Where(n => n.EndsWith("id", StringComparison.OrdinalIgnoreCase));

        private string KindOf(string name, int index)
        {
            if (name.Equals("sweepId", StringComparison.OrdinalIgnoreCase) || Pattern[..index].EndsWith("/sweeps/", StringComparison.Ordinal))
            {
                return "sweep";
            }

            if (name.Equals("trialId", StringComparison.OrdinalIgnoreCase) || Pattern[..index].EndsWith("/trials/", StringComparison.Ordinal))
            {
                return "trial";
            }

            throw new InvalidOperationException($"The test cannot tell what '{name}' in {Pattern} is.");
        }

        [GeneratedRegex(@"\{(\w+)[^}]*\}")]
        private static partial Regex Parameter();
    }
}
