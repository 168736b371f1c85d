using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Experiments.Tests.Shared;

namespace Experiments.Browser.Tests;

/// <summary>Without the sign-in token or the API key nothing is shown and nothing changes.</summary>
[Collection(DashboardAppCollection.Name)]
// Slow: a real Chromium against the whole AppHost.
[Trait("Category", "Slow")]
public sealed class AccessTests(DashboardAppFixture fixture)
{
    [BrowserFact]
    public async Task AnonymousBrowserIsSentToSignInInsteadOfThePage()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;

        await page.GotoAsync("submit");

        Assert.Equal($"{fixture.BaseAddress}signin?returnUrl=%2Fsubmit", page.Url);
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
        await Expect(page.Locator("textarea.yaml-editor")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("signin");
    }

    [BrowserFact]
    public async Task WrongTokenIsRefusedAtSignIn()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;

        await page.GotoAsync("signin");
        await page.Locator("#token").FillAsync("not-the-token-0123456789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That token is not valid.");
        await page.GotoAsync("");
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync([fixture.BaseAddress.ToString()]);
        Assert.DoesNotContain(cookies, c => c.Name == ".Experiments.Dashboard");
    }

    [BrowserFact]
    public async Task AnonymousPageRequestRedirectsToSignIn()
    {
        using var client = fixture.CreateHttpClient();

        using var response = await client.GetAsync("/sweeps/sw-anything");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(fixture.BaseAddress, response.Headers.Location!);
        Assert.Equal("/signin", target.AbsolutePath);
        Assert.Equal("?returnUrl=%2Fsweeps%2Fsw-anything", target.Query);
    }

    [BrowserFact]
    public async Task SubmitWithoutTheRightApiKeyIsUnauthorized()
    {
        using var client = fixture.CreateHttpClient();
        var yaml = File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml"));
        using var withoutKey = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        wrongKey.Headers.Add("X-Api-Key", "not-the-api-key-0123456789abcdef");

        using var withoutKeyResponse = await client.SendAsync(withoutKey);
        using var wrongKeyResponse = await client.SendAsync(wrongKey);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKeyResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyResponse.StatusCode);
    }

    [BrowserFact]
    public async Task BlazorCircuitOpensOnlyAfterSignIn()
    {
        // The circuit is how every page acts on the server: without the sign-in cookie it must not start.
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = fixture.BaseAddress };

        using var anonymous = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        using var signIn = await client.GetAsync($"/account/signin?t={DashboardAppFixture.BrowserToken}");
        using var signedIn = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }
}
