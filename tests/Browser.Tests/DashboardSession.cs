using Microsoft.Playwright;

namespace Experiments.Browser.Tests;

/// <summary>
/// One browser context on the Dashboard: records every console error and uncaught script error, and saves
/// a full-page screenshot of each page the test visits.
/// </summary>
internal sealed class DashboardSession : IAsyncDisposable
{
    private readonly DashboardAppFixture _fixture;
    private readonly List<string> _errors = [];

    private DashboardSession(DashboardAppFixture fixture, IPage page)
    {
        _fixture = fixture;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page: {error}");
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<DashboardSession> OpenAsync(DashboardAppFixture fixture) => new(fixture, await fixture.NewPageAsync());

    /// <summary>Signs in through the sign-in page's form (antiforgery and all), landing on the Sweeps page.</summary>
    public async Task SignInAsync(string token)
    {
        await Page.GotoAsync("signin");
        await Page.Locator("#token").FillAsync(token);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(_fixture.BaseAddress.ToString());
    }

    public async Task ScreenshotAsync(string name)
    {
        // Let throttled chart updates (200 ms) land before the picture.
        await Page.WaitForTimeoutAsync(400);
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(_fixture.ScreenshotDirectory, name + ".png"),
            FullPage = true,
        });
    }

    public async ValueTask DisposeAsync() => await Page.Context.CloseAsync();
}
