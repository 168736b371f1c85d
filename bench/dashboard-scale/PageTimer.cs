using System.Diagnostics;
using Microsoft.Playwright;

namespace Experiments.DashboardScale;

/// <summary>Signs in, then times the Sweeps list and navigations to each Sweep page until its table rows and learning curves are drawn.</summary>
internal static class PageTimer
{
    private const string Rows = ".trial-table tbody tr";
    private const string DrawnChart = ".chart[data-chart-drawn]";

    /// <summary>Visits of one sweep's page: the first (cold server caches), from a new browser, and later ones.</summary>
    public sealed record Visits(int Trials, double ColdMs, double FreshBrowserMs, IReadOnlyList<double> WarmMs)
    {
        public double WarmMedianMs => WarmMs.Order().ElementAt(WarmMs.Count / 2);
    }

    public sealed record Result(IReadOnlyList<Visits> Sweeps, double ListColdMs, double ListWarmMs, double FilterMs, double ParallelMs);

    public static async Task<Result> MeasureAsync(Uri baseAddress, string token, IReadOnlyList<(int Trials, string Path)> sweeps, string outDir)
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

        // The Sweeps list over every seeded sweep: a first visit, then a later one.
        var listCold = await TimeListAsync(page);
        await page.GotoAsync("about:blank");
        var listWarm = await TimeListAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweeps.png") });

        var visits = new List<Visits>();
        foreach (var (trials, sweepPath) in sweeps)
        {
            var cold = await TimeSweepPageAsync(page, sweepPath);
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
            visits.Add(new Visits(trials, cold, freshMs, warm));
            Console.WriteLine($"  {trials} trials: first visit {cold:0} ms, new browser {freshMs:0} ms, later visits {string.Join(" / ", warm.Select(w => w.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        }

        // The largest sweep: screenshots, a filter round trip, the parallel coordinates tab, a trial.
        var largest = sweeps[^1].Path;
        await page.GotoAsync(largest);
        await page.WaitForSelectorAsync(DrawnChart, new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweep.png"), FullPage = true });

        // Responsiveness: a filter keystroke round trip through the circuit until the table narrows.
        var filter = Stopwatch.StartNew();
        await page.FillAsync("input[type=search]", "-0001");
        await page.WaitForFunctionAsync($"document.querySelectorAll('{Rows}').length <= 12");
        var filterMs = filter.Elapsed.TotalMilliseconds;
        await page.FillAsync("input[type=search]", "");
        await page.WaitForFunctionAsync($"document.querySelectorAll('{Rows}').length > 12");
        await page.WaitForTimeoutAsync(1000); // let the curves redraw before the next timing

        var parallel = Stopwatch.StartNew();
        await page.ClickAsync("button.tab:has-text('Parallel coordinates')");
        await page.WaitForSelectorAsync(".chart[data-chart-drawn] .parcoords, .chart[data-chart-drawn] svg.main-svg", new() { Timeout = 60_000 });
        var parallelMs = parallel.Elapsed.TotalMilliseconds;
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweep-parallel.png") });

        await page.ClickAsync(".trial-table tbody tr a");
        await page.WaitForSelectorAsync(".confusion-matrix[data-chart-drawn]");
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "trial.png"), FullPage = true });
        await page.GotoAsync("/submit");
        await page.WaitForSelectorAsync(".yaml-editor");
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "submit.png") });
        await page.EvaluateAsync("() => experimentsTheme.toggle()");
        await page.GotoAsync(largest);
        await page.WaitForSelectorAsync(DrawnChart, new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "sweep-dark.png") });
        return new Result(visits, listCold, listWarm, filterMs, parallelMs);
    }

    private static async Task<double> TimeListAsync(IPage page)
    {
        var watch = Stopwatch.StartNew();
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync(".sweeps-table tbody tr", new() { Timeout = 60_000 });
        return watch.Elapsed.TotalMilliseconds;
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
