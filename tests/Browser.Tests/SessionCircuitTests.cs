using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Tests.Fixtures;
using Experiments.Dashboard;
using Experiments.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Experiments.Browser.Tests;

/// <summary>
/// An open page keeps its Blazor circuit after the sign-in token changes; the circuit must check again before it
/// changes anything. The Dashboard runs in-process over a real Garnet store so the test can change its token while
/// Chromium holds the page open. In the browser tests' collection so that one browser runs at a time.
/// </summary>
[Collection(DashboardAppCollection.Name)]
public sealed partial class SessionCircuitTests : IAsyncLifetime
{
    private const string ApiKey = "circuit-test-api-key-0123456789abcdef";
    private const string FirstToken = "circuit-test-first-token-0123456789";
    private const string NextToken = "circuit-test-next-token-0123456789";

    private readonly GarnetServerFixture _store = new();
    private WebApplication? _app;
    private Uri _address = default!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            return;
        }

        await _store.InitializeAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Experiments.Dashboard",
            // Development serves the static assets (blazor.web.js, plotly) from their build locations.
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:store", _store.ConnectionString),
            new("Api:Key", ApiKey),
            new("Dashboard:BrowserToken", FirstToken),
        ]);
        builder.AddDashboard();
        _app = builder.Build();
        _app.MapDashboard();
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.ExecutablePath, Args = Chromium.Arguments, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    [BrowserFact]
    public async Task AfterTheTokenChangesAnOpenPageCannotCancelAndIsSentToSignIn()
    {
        var sweepId = await SubmitSmokeSweepAsync();
        var page = await NewPageAsync();
        await page.GotoAsync($"account/signin?t={FirstToken}&returnUrl=%2Fsweeps%2F{sweepId}");
        await page.WaitForURLAsync(new Regex($"/sweeps/{sweepId}$"));

        // The first click only arms the button (no store change): once it does, the circuit is live.
        var cancel = page.Locator("button.danger").Filter(new() { HasTextRegex = new Regex("^(Cancel sweep|Confirm: cancel)") });
        var arm = page.Locator("button.danger").Filter(new() { HasTextRegex = new Regex("^Cancel sweep") });
        await ArmAsync(arm, cancel);

        // Let the browser acknowledge that render first: every message on the circuit after the change is checked,
        // so a late acknowledgement would send the page to sign-in before the click this test is about.
        await page.WaitForTimeoutAsync(1500);
        ChangeToken(NextToken);
        try
        {
            await cancel.ClickAsync(new() { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // On a busy machine the acknowledgement came later and the page had already left: refused all the same.
        }

        await page.WaitForURLAsync(new Regex($"/signin\\?returnUrl=%2Fsweeps%2F{sweepId}$"));
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
        Assert.All(await StatusesAsync(sweepId), status => Assert.Equal(TrialStatus.Queued, status));

        // With the new token the same button works: the refusal above was the session, not the page.
        await page.Locator("#token").FillAsync(NextToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/sweeps/{sweepId}$"));
        await ArmAsync(arm, cancel);
        await cancel.ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Cancel requested");
        Assert.All(await StatusesAsync(sweepId), status => Assert.Equal(TrialStatus.Cancelled, status));
    }

    private void ChangeToken(string token)
    {
        _app!.Configuration["Dashboard:BrowserToken"] = token;
        ((IConfigurationRoot)_app.Configuration).Reload();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { BaseURL = _address.ToString() });
        context.SetDefaultTimeout(Chromium.DefaultTimeoutMs);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Until the circuit connects a click does nothing: click the unarmed button again until it is armed. Only a button
    /// still reading "Cancel sweep" is clicked: a second click on a slow render's armed button would confirm the cancel.
    /// </summary>
    private static async Task ArmAsync(ILocator unarmed, ILocator button)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                await unarmed.ClickAsync(new() { Timeout = 2000 });
            }
            catch (TimeoutException)
            {
                // Armed meanwhile (no unarmed button left to click): the wait below sees it.
            }

            try
            {
                await Expect(button).ToHaveTextAsync("Confirm: cancel 2 trials", new() { Timeout = 10_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private async Task<string> SubmitSmokeSweepAsync()
    {
        using var client = new HttpClient { BaseAddress = _address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), Encoding.UTF8, "application/yaml"),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
    }

    private async Task<IReadOnlyList<TrialStatus>> StatusesAsync(string sweepId) =>
        [.. (await _app!.Services.GetRequiredService<SweepStore>().GetTrialsAsync(sweepId)).Select(t => t.Status)];
}
