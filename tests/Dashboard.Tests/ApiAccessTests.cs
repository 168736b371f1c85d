using System.Net;
using System.Text.Json;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Dashboard.Tests;

/// <summary>The Dashboard and a real Garnet store, shared by the access tests; one smoke sweep submitted (no worker runs it).</summary>
public sealed class DashboardOverStoreFixture : IAsyncLifetime
{
    private readonly GarnetServerFixture _store = new();

    internal DashboardApp App { get; private set; } = default!;

    internal GarnetServerFixture Store => _store;

    public string SweepId { get; private set; } = "";

    public string TrialId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        App = await DashboardApp.StartAsync(_store);
        (SweepId, TrialId) = await App.SubmitSmokeSweepAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _store.DisposeAsync();
    }
}

/// <summary>
/// Every route that is not a page, found in the app's own endpoint table (so a route added later is covered):
/// nothing without credentials, a malformed id never reaches the store, a session reads but does not change.
/// </summary>
public sealed class ApiAccessTests(DashboardOverStoreFixture fixture) : IClassFixture<DashboardOverStoreFixture>
{
    private DashboardApp App => fixture.App;

    [Fact]
    public void TheRouteTableHoldsTheRoutesThisSuiteIsAbout()
    {
        var routes = App.Routes.Select(r => r.ToString()).ToList();

        Assert.Contains("GET /api/sweeps", routes);
        Assert.Contains("GET /api/trials/{id}", routes);
        Assert.Contains("POST /api/trials/{id}/requeue", routes);
        Assert.Contains("GET /api/sweeps/{id}/importance", routes);
        Assert.Contains("GET /export/sweeps/{sweepId}.{format}", routes);
        Assert.Contains("GET /checkpoints/{trialId}/{name}", routes);
    }

    [Fact]
    public async Task ImportanceSaysWhyItIsEmptyUntilEnoughTrialsCompleteAndUnknownSweepsAre404()
    {
        using var client = App.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sweeps/{fixture.SweepId}/importance");
        request.Headers.Add("X-Api-Key", DashboardApp.ApiKey);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(fixture.SweepId, body.RootElement.GetProperty("sweep_id").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("parameters").GetArrayLength());
        Assert.Equal("needs at least 4 completed trials, has 0", body.RootElement.GetProperty("unavailable").GetString());

        using var missing = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps/sw-zzzzzzzzzzzz/importance");
        missing.Headers.Add("X-Api-Key", DashboardApp.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(missing)).StatusCode);
    }

    [Fact]
    public async Task EveryApiRouteWithoutCredentialsIs401ProblemAndEveryDownloadSendsTheBrowserToSignIn()
    {
        using var client = App.Client();
        foreach (var route in App.Routes)
        {
            using var request = route.Request(Ids, withKey: false);
            using var response = await client.SendAsync(request);

            if (route.IsApi)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route}: {response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("X-Api-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route}: {response.StatusCode}");
                Assert.Equal("/signin", new Uri(App.Address, response.Headers.Location!).AbsolutePath);
            }
        }
    }

    [Fact]
    public async Task EveryRouteWithAWrongKeyIs401EvenForASignedInSession()
    {
        using var client = await App.SignedInClientAsync();
        foreach (var route in App.Routes)
        {
            using var request = route.Request(Ids, withKey: false);
            request.Headers.Add("X-Api-Key", "not-the-key-0123456789abcdef");
            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData(":attempts")]
    [InlineData(":epochs")]
    [InlineData(":x:y")]
    [InlineData("%3Aattempts")]
    [InlineData("-1")]
    [InlineData("0")]
    public async Task EveryRouteAnswersAMalformedIdWith404Problem(string suffix)
    {
        using var client = App.Client();
        foreach (var route in App.Routes.Where(r => r.TakesAnId))
        {
            using var request = route.Request(kind => Ids(kind) + suffix, withKey: true);
            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route} with '{suffix}': {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task EveryRouteAnswersAWellFormedUnknownIdWith404Problem()
    {
        using var client = App.Client();
        foreach (var route in App.Routes.Where(r => r.TakesAnId))
        {
            using var request = route.Request(kind => kind == "sweep" ? "sw-unknownsweep" : "sw-unknownsweep-0000", withKey: true);
            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task TheAttemptsAndEpochsKeysOfATrialAreNotTrials()
    {
        using var client = App.Client();

        foreach (var path in new[] { $"/api/trials/{fixture.TrialId}:attempts", $"/api/trials/{fixture.TrialId}:epochs", $"/api/sweeps/{fixture.SweepId}:x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", DashboardApp.ApiKey);
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains("is not a", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheKeyReadsAndChanges()
    {
        using var client = App.Client();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/trials/{fixture.TrialId}");
        read.Headers.Add("X-Api-Key", DashboardApp.ApiKey);
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps/{fixture.SweepId}/cancel");
        cancel.Headers.Add("X-Api-Key", DashboardApp.ApiKey);

        using var readResponse = await client.SendAsync(read);
        using var cancelResponse = await client.SendAsync(cancel);

        Assert.Equal(HttpStatusCode.OK, readResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelResponse.StatusCode);
    }

    [Fact]
    public async Task ASignedInSessionReadsTheApiButCannotChangeState()
    {
        using var client = await App.SignedInClientAsync();

        using var list = await client.GetAsync("/api/sweeps");
        using var trial = await client.GetAsync($"/api/trials/{fixture.TrialId}");
        using var export = await client.GetAsync($"/export/sweeps/{fixture.SweepId}.json");
        using var requeue = await client.PostAsync($"/api/trials/{fixture.TrialId}/requeue", null);
        using var submit = await client.SendAsync(DashboardApp.SmokeSubmit(withKey: false));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, requeue.StatusCode);
        Assert.Contains("can read", await requeue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
    }

    [Fact]
    public async Task HealthProbesStayOpenAndSayNothingButTheirState()
    {
        using var client = App.Client();

        var alive = await client.GetStringAsync("/alive");

        Assert.Equal("Healthy", alive);
    }

    private string Ids(string kind) => kind == "sweep" ? fixture.SweepId : fixture.TrialId;
}
