using System.Diagnostics;
using Microsoft.Playwright;

namespace Experiments.DashboardScale;

/// <summary>Signs in, then times navigations to the Sweep page until its table rows and learning curves are drawn.</summary>
internal static class PageTimer
{
    private const string Rows = ".trial-table tbody tr";
    private const string DrawnChart = ".chart[data-chart-drawn]";

    public sealed record Result(double ColdMs, double FreshBrowserMs, IReadOnlyList<double> WarmMs, double FilterMs, double ParallelMs)
    {
        public double WarmMedianMs => WarmMs.Order().ElementAt(WarmMs.Count / 2);
    }

    public static async Task<Result> MeasureAsync(Uri baseAddress, string token, string sweepPath, string outDir)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 }, BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/account/signin?t={Uri.EscapeDataString(token)}");
        await page.WaitForSelectorAsync(".sweeps-table, .muted");
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweeps.png") });

        var cold = await TimeSweepPageAsync(page, sweepPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweep.png"), FullPage = true });
        var warm = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("about:blank");
            warm.Add(await TimeSweepPageAsync(page, sweepPath));
        }

        // A new user on a warm server: empty browser cache (plotly.js and all downloaded again), new circuit.
        var fresh = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 }, BaseURL = baseAddress.ToString() });
        var freshPage = await fresh.NewPageAsync();
        await freshPage.GotoAsync($"/account/signin?t={Uri.EscapeDataString(token)}");
        var freshMs = await TimeSweepPageAsync(freshPage, sweepPath);
        await fresh.CloseAsync();

        // Responsiveness: a filter keystroke round trip through the circuit until the table narrows.
        var filter = Stopwatch.StartNew();
        await page.FillAsync("input[type=search]", "scale-t0001");
        await page.WaitForFunctionAsync($"document.querySelectorAll('{Rows}').length <= 12");
        var filterMs = filter.Elapsed.TotalMilliseconds;
        await page.FillAsync("input[type=search]", "");
        await page.WaitForFunctionAsync($"document.querySelectorAll('{Rows}').length > 12");
        await page.WaitForTimeoutAsync(1000); // let the curves of all 2,000 trials redraw before the next timing

        var parallel = Stopwatch.StartNew();
        await page.ClickAsync("button.tab:has-text('Parallel coordinates')");
        await page.WaitForSelectorAsync(".chart[data-chart-drawn] .parcoords, .chart[data-chart-drawn] svg.main-svg");
        var parallelMs = parallel.Elapsed.TotalMilliseconds;
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweep-parallel.png") });

        await page.ClickAsync(".trial-table tbody tr a");
        await page.WaitForSelectorAsync(".confusion-matrix[data-chart-drawn]");
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "trial.png"), FullPage = true });
        await page.GotoAsync("/submit");
        await page.WaitForSelectorAsync(".yaml-editor");
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "submit.png") });
        await page.EvaluateAsync("() => experimentsTheme.toggle()");
        await page.GotoAsync(sweepPath);
        await page.WaitForSelectorAsync(DrawnChart);
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweep-dark.png") });
        return new Result(cold, freshMs, warm, filterMs, parallelMs);
    }

    private static async Task<double> TimeSweepPageAsync(IPage page, string sweepPath)
    {
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(sweepPath, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync(Rows, new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync(DrawnChart, new() { Timeout = 60_000 });
        return watch.Elapsed.TotalMilliseconds;
    }
}
