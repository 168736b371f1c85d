using System.Net;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>Sign-in sessions over HTTP: bound to the token, sliding over hours, not days.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private const string SweepId = "sw-sessiontests";

    private readonly InMemoryDashboardStore _store = new();
    private readonly string _keys = Directory.CreateTempSubdirectory("experiments-keys-").FullName;

    public Task InitializeAsync()
    {
        _store.Add(Sweep(SweepId, 1), [(Trial(SweepId, 0, Params(("lr", "0.1"))), Epochs(0.5))]);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_keys, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheSignInCookieLastsTheIdleTimeoutAndIsHttpOnlyAndStrict()
    {
        await using var host = await DashboardHost.StartAsync(_store);
        using var client = Client(host.Address, out _);

        using var signIn = await client.GetAsync($"/account/signin?t={DashboardHost.Token}");

        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".Experiments.Dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(cookie.Split(';').Single(p => p.Trim().StartsWith("expires=", StringComparison.OrdinalIgnoreCase)).Split('=', 2)[1],
            System.Globalization.CultureInfo.InvariantCulture);
        var lifetime = expires - DateTimeOffset.UtcNow;
        Assert.InRange(lifetime, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.1));
    }

    [Fact]
    public async Task ChangingTheTokenEndsTheSessionAtOnce()
    {
        await using var host = await DashboardHost.StartAsync(_store);
        using var client = Client(host.Address, out _);
        await client.GetAsync($"/account/signin?t={DashboardHost.Token}");
        using (var before = await client.GetAsync($"/sweeps/{SweepId}"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        host.ChangeToken("a-new-token-after-a-leak-0123456789");

        using var after = await client.GetAsync($"/sweeps/{SweepId}");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var blazor = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.NotEqual(HttpStatusCode.OK, blazor.StatusCode);
        using var export = await client.GetAsync($"/export/sweeps/{SweepId}.csv");
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
    }

    [Fact]
    public async Task ARestartWithAnotherTokenEndsOldSessionsAndOneWithTheSameTokenKeepsThem()
    {
        string cookie;
        await using (var first = await DashboardHost.StartAsync(_store, DashboardHost.Token, _keys))
        {
            using var client = Client(first.Address, out var jar);
            await client.GetAsync($"/account/signin?t={DashboardHost.Token}");
            cookie = jar.GetCookies(first.Address).Single(c => c.Name == ".Experiments.Dashboard").Value;
        }

        await using (var sameToken = await DashboardHost.StartAsync(_store, DashboardHost.Token, _keys))
        {
            using var response = await GetWithCookieAsync(sameToken.Address, cookie, $"/sweeps/{SweepId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var newToken = await DashboardHost.StartAsync(_store, "the-next-runs-token-0123456789", _keys);
        using var refused = await GetWithCookieAsync(newToken.Address, cookie, $"/sweeps/{SweepId}");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/signin", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(Uri address, string cookie, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $".Experiments.Dashboard={cookie}");
        return await client.SendAsync(request);
    }

    private static HttpClient Client(Uri address, out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
    }
}
