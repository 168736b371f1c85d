using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Experiments.Tests.Shared;
using Microsoft.Playwright;

namespace Experiments.Browser.Tests;

/// <summary>
/// The whole system from the real AppHost (embedded Garnet, a worker, the Dashboard) with known secrets, and
/// one headless Chromium, shared by every browser test. Nothing starts when the browser is absent and the tests are skipped.
/// </summary>
public sealed class DashboardAppFixture : IAsyncLifetime
{
    public const string ApiKey = "browser-test-api-key-0123456789abcdef";
    public const string BrowserToken = "browser-test-sign-in-token-0123456789";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("experiments-browser-").FullName;
    private DistributedApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>The running AppHost, for a test that signals its processes.</summary>
    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>Where each page's screenshot goes: <c>TestResults/screenshots</c> under the test output folder.</summary>
    public string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    /// <summary>A fresh browser context (no cookies) whose relative URLs resolve against the Dashboard.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
        // A ceiling for a wrong page, not a slow machine: on a loaded two-core CI box navigation has taken over 30 s.
        context.SetDefaultTimeout((float)Eventually.DefaultTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Eventually.DefaultTimeout.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    /// <summary>A plain client that shows redirects instead of following them.</summary>
    public HttpClient CreateHttpClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            // Skipped tests need nothing; required ones fail at once with the reason instead of after the app starts.
            if (Chromium.IsRequired)
            {
                throw new InvalidOperationException($"{Chromium.ExecutablePath} is missing and {Chromium.RequireExternalsVariable}=1 requires the browser tests to run.");
            }

            return;
        }

        await StartAppAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Args = Chromium.Arguments,
            Headless = true,
        });
    }

    private async Task StartAppAsync()
    {
        // A killed store stays down for 10 s before the AppHost restarts it: longer than the Dashboard takes to see it
        // is gone (its client's 5 s timeout), so the outage banner test sees the outage however fast the restart is.
        _app = await IsolatedAppHost.StartAsync(_dataDirectory, ApiKey, [$"--Parameters:dashboard-token={BrowserToken}", "--Supervision:InitialBackoff=00:00:10"]);
        BaseAddress = _app.GetEndpoint("dashboard", "http");
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
            await _app.DisposeAsync();
        }

        IsolatedAppHost.DeleteDataDirectory(_dataDirectory);
    }
}
