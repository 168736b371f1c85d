using System.Net;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>Sign-in over HTTP: nothing is served without the browser token, and the token opens every page.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    // Downloads check ids against the store's format, so these tests use well-formed ones.
    private const string SweepId = "sw-signintestsa";
    private const string TrialId = SweepId + "-t0";

    private readonly InMemoryDashboardStore _store = new();
    private DashboardHost _host = default!;

    public async Task InitializeAsync()
    {
        _store.Add(Sweep(SweepId, 1), [(Trial(SweepId, 0, Params(("lr", "0.1"))), Epochs(0.5))]);
        _host = await DashboardHost.StartAsync(_store);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/sweeps/" + SweepId)]
    [InlineData("/trials/" + TrialId)]
    [InlineData("/submit")]
    [InlineData("/compare")]
    [InlineData("/export/sweeps/" + SweepId + ".csv")]
    [InlineData("/checkpoints/" + SweepId + "-0000/best.pt")]
    public async Task WithoutSignInEveryPageAndDownloadRedirectsToSignIn(string path)
    {
        using var client = Client(out _);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongTokenIsRefused()
    {
        using var client = Client(out var cookies);

        using var response = await client.GetAsync("/account/signin?t=not-the-token-at-all");

        Assert.Contains("failed=1", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Empty(cookies.GetCookies(_host.Address));
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task TheTokenOpensThePagesAndTheExport()
    {
        using var client = Client(out _);

        using var signIn = await client.GetAsync($"/account/signin?t={DashboardHost.Token}&returnUrl=%2Fsweeps%2F{SweepId}");
        Assert.Equal($"/sweeps/{SweepId}", signIn.Headers.Location!.ToString());

        using var page = await client.GetAsync($"/sweeps/{SweepId}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"sweep-{SweepId}", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csv = await client.GetStringAsync($"/export/sweeps/{SweepId}.csv");
        Assert.StartsWith("trial_id,index,lr,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInPageIsOpenAndCarriesAnAntiforgeryToken()
    {
        using var client = Client(out _);

        var html = await client.GetStringAsync("/signin");

        Assert.Contains("__RequestVerificationToken", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignInPostWithoutAntiforgeryTokenIsRejected()
    {
        using var client = Client(out var cookies);

        using var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["Token"] = DashboardHost.Token }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(cookies.GetCookies(_host.Address));
    }

    [Fact]
    public async Task AReturnUrlToAnotherSiteIsIgnored()
    {
        using var client = Client(out _);

        using var response = await client.GetAsync($"/account/signin?t={DashboardHost.Token}&returnUrl=%2F%2Fevil.example%2F");

        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task CheckpointDownloadsCannotLeaveTheirRoot()
    {
        using var client = Client(out _);
        await client.GetAsync($"/account/signin?t={DashboardHost.Token}");

        using var response = await client.GetAsync($"/checkpoints/{SweepId}-0000/..%2F..%2Fappsettings.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private HttpClient Client(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _host.Address };
    }
}
