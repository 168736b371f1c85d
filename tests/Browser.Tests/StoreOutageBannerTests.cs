using Experiments.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Experiments.Browser.Tests;

/// <summary>
/// In a real browser on the real AppHost: the store process killed with SIGKILL under an open page shows the outage
/// banner, and the AppHost's supervisor restarting the store takes it away again, with no one reloading the page.
/// </summary>
[Collection(DashboardAppCollection.Name)]
[Trait("Category", "Slow")]
public sealed class StoreOutageBannerTests(DashboardAppFixture fixture)
{
    /// <summary>A kill noticed, a supervised restart after its backoff, the page's next look: as CrashRestartTests allows.</summary>
    private static readonly float SupervisedRestartMs = (float)Eventually.DefaultTimeout.TotalMilliseconds;

    [BrowserFact]
    public async Task OpenPageShowsTheBannerWhileTheKilledStoreIsDownAndDropsItOnceTheStoreIsBack()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;
        await session.SignInAsync(DashboardAppFixture.BrowserToken);
        await page.GotoAsync("");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sweeps" })).ToBeVisibleAsync();
        var banner = page.Locator(".store-outage-banner");
        await Expect(banner).ToHaveCountAsync(0);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var (_, launcherPid) = await ResourceProcesses.RunningAsync(fixture.App, "store-garnet", timeout.Token);
        var storePid = await ResourceProcesses.ServicePidAsync(launcherPid, "Experiments.GarnetStore");

        ResourceProcesses.Kill(storePid);

        // The page learns of the outage when a look at the store fails (its client's timeout), within seconds.
        // One wait for both (shown, and saying what): the supervisor may bring the store back before a second wait starts.
        await Expect(banner).ToContainTextAsync("The record store does not answer right now", new() { Timeout = SupervisedRestartMs });
        await session.ScreenshotAsync("store-outage-banner");
        // Nobody restarts the store here: the AppHost's crash-restart supervisor does, after its backoff.
        await Expect(banner).ToHaveCountAsync(0, new() { Timeout = SupervisedRestartMs });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sweeps" })).ToBeVisibleAsync();
    }
}
