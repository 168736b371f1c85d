using System.Diagnostics;
using Microsoft.Playwright;

namespace Experiments.DashboardScale;

/// <summary>Signs in, then times the Sweeps list and navigations to each Sweep page until its table rows and learning curves are on screen (and until plotly's interactive chart is).</summary>
internal static class PageTimer
{
    private const string Rows = ".trial-table tbody tr";
    private const string DrawnChart = ".chart[data-chart-drawn]";
    private const string CurvesShown = ".chart[data-chart-drawn], .chart-preview polyline";

    /// <summary>Every timed visit's time to plotly's chart (interactive), in visit order.</summary>
    public static List<double> InteractiveMs { get; } = [];

    /// <summary>Visits of one sweep's page: the first (cold server caches), from a new browser, and later ones.</summary>
    public sealed record Visits(int Trials, double ColdMs, double FreshBrowserMs, IReadOnlyList<double> WarmMs, double WarmInteractiveMedianMs)
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
            InteractiveMs.Clear();
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
            visits.Add(new Visits(trials, cold, freshMs, warm, InteractiveMs.Skip(1).Take(warm.Count).Order().ElementAt(warm.Count / 2)));
            Console.WriteLine($"  {trials} trials, where a later visit's time goes: {await BreakdownAsync(page)}");
            Console.WriteLine($"  {trials} trials, the circuit's traffic on one more visit: {await CircuitTrafficAsync(page, sweepPath)}");
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

    /// <summary>
    /// The browser's own timeline of the visit just made (ms from navigation start): the server's answer (prerender),
    /// the page parsed, the circuit's negotiate request, the chart's JS called, plotly ready, the first chart drawn.
    /// </summary>
    private static async Task<string> BreakdownAsync(IPage page) => await page.EvaluateAsync<string>("""
        () => {
          const nav = performance.getEntriesByType('navigation')[0];
          const resource = (part) => performance.getEntriesByType('resource').find(e => e.name.includes(part));
          const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
          const negotiate = resource('_blazor/negotiate');
          const plotly = resource('plotly.min.js');
          const f = (v) => v === undefined ? '-' : Math.round(v);
          return `response ${f(nav.responseStart)}-${f(nav.responseEnd)}, DOM ready ${f(nav.domContentLoadedEventEnd)}, ` +
            `plotly.js fetched ${f(plotly?.responseEnd)} (${plotly ? (plotly.transferSize > 0 ? 'network' : 'cache') : '-'}), ` +
            `circuit negotiate ${f(negotiate?.startTime)}-${f(negotiate?.responseEnd)}, chart init ${f(mark('experiments:chart-init'))}, ` +
            `plotly ready ${f(mark('experiments:plotly-ready'))}, chart drawn ${f(mark('experiments:chart-drawn'))}`;
        }
        """);

    /// <summary>One more visit, counting what the circuit's WebSocket carries until the chart is drawn.</summary>
    private static async Task<string> CircuitTrafficAsync(IPage page, string sweepPath)
    {
        await page.GotoAsync("about:blank");
        var frames = new List<(double At, int Bytes, bool Received)>();
        var watch = Stopwatch.StartNew();
        void OnSocket(object? sender, IWebSocket socket)
        {
            socket.FrameReceived += (_, f) => { lock (frames) { frames.Add((watch.Elapsed.TotalMilliseconds, f.Binary?.Length ?? f.Text?.Length ?? 0, true)); } };
            socket.FrameSent += (_, f) => { lock (frames) { frames.Add((watch.Elapsed.TotalMilliseconds, f.Binary?.Length ?? f.Text?.Length ?? 0, false)); } };
        }

        page.WebSocket += OnSocket;
        try
        {
            watch.Restart();
            await page.GotoAsync(sweepPath, new() { WaitUntil = WaitUntilState.Commit });
            await page.WaitForSelectorAsync(DrawnChart, new() { Timeout = 60_000 });
            var drawn = watch.Elapsed.TotalMilliseconds;
            lock (frames)
            {
                var received = frames.Where(f => f.Received).ToList();
                var largest = received.OrderByDescending(f => f.Bytes).Take(3).Select(f => $"{f.Bytes / 1024.0:0.0} kB at {f.At:0} ms");
                return $"{received.Count} frames received, {received.Sum(f => f.Bytes) / 1024.0:0.0} kB; sent {frames.Count(f => !f.Received)}; " +
                    $"first frame at {(frames.Count > 0 ? frames.Min(f => f.At) : 0):0} ms; largest {string.Join(", ", largest)}; drawn at {drawn:0} ms";
            }
        }
        finally
        {
            page.WebSocket -= OnSocket;
        }
    }

    private static async Task<double> TimeListAsync(IPage page)
    {
        var watch = Stopwatch.StartNew();
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync(".sweeps-table tbody tr", new() { Timeout = 60_000 });
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Time until the table's rows and the learning curves are on screen: the curves as the page's first HTML draws
    /// them (the static preview) or as plotly does, whichever comes first. Waits for plotly too (the next step of a
    /// visit needs an interactive page) and notes that time in <see cref="InteractiveMs"/>.
    /// </summary>
    private static async Task<double> TimeSweepPageAsync(IPage page, string sweepPath)
    {
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(sweepPath, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync(Rows, new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync(CurvesShown, new() { Timeout = 60_000 });
        var shown = watch.Elapsed.TotalMilliseconds;
        await page.WaitForSelectorAsync(DrawnChart, new() { Timeout = 60_000 });
        InteractiveMs.Add(watch.Elapsed.TotalMilliseconds);
        return shown;
    }
}
