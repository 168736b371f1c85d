using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Experiments.Browser.Tests;

/// <summary>Without the sign-in token or the API key nothing is shown and nothing changes.</summary>
[Collection(DashboardAppCollection.Name)]
public sealed class AccessTests(DashboardAppFixture fixture)
{
    [BrowserFact]
    public async Task AnonymousBrowserIsSentToSignInAndSeesNoSweeps()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;

        var response = await page.GotoAsync("submit");

        Assert.NotNull(response);
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

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location?.OriginalString.Replace(fixture.BaseAddress.GetLeftPart(UriPartial.Authority), "", StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task SubmitWithoutApiKeyIsUnauthorized()
    {
        using var client = fixture.CreateHttpClient();
        using var body = new StringContent(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), Encoding.UTF8, "application/yaml");

        using var response = await client.PostAsync("/api/sweeps", body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [BrowserFact]
    public async Task BlazorCircuitIsNotOpenedWithoutSignIn()
    {
        using var client = fixture.CreateHttpClient();

        using var response = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
