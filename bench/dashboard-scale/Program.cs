using System.Diagnostics;
using Experiments.DashboardScale;

// Usage: run [--memory | --store] [--dashboard PATH/Experiments.Dashboard.dll] [--out DIR]
//   --store  (default) seeds embedded Garnet through SweepStore + TrialQueue and starts the real Dashboard.
//   --memory serves the Dashboard UI in-process over the same sweep held in memory (no store needed).
var memory = args.Contains("--memory");
var outDir = Arg("--out") ?? Path.Combine(AppContext.BaseDirectory, "out");
Directory.CreateDirectory(outDir);

Console.WriteLine($"Seeding a {ScaleSweep.Plan().Trials.Count}-trial x {ScaleSweep.Epochs}-epoch sweep ({(memory ? "in memory" : "embedded Garnet via SweepStore + TrialQueue")})...");
var setup = Stopwatch.StartNew();
await using IBenchTarget target = memory
    ? await InMemoryTarget.StartAsync()
    : await StoreTarget.StartAsync(Arg("--dashboard") ?? throw new ArgumentException("--store needs --dashboard PATH/Experiments.Dashboard.dll"));
Console.WriteLine($"Ready in {setup.Elapsed.TotalSeconds:0.0} s: {target.BaseAddress}");

var result = await PageTimer.MeasureAsync(target.BaseAddress, target.Token, target.SweepPath, outDir);
const double targetMs = 2000;
Console.WriteLine();
Console.WriteLine($"Sweep page, {ScaleSweep.Plan().Trials.Count} trials x {ScaleSweep.Epochs} epochs, time to rendered table + learning curves (headless Chromium):");
Console.WriteLine($"  first visit (cold server caches): {result.ColdMs:0} ms   ratio to the 2 s target: {result.ColdMs / targetMs:0.00}");
Console.WriteLine($"  new browser (empty cache), warm server: {result.FreshBrowserMs:0} ms   ratio to the 2 s target: {result.FreshBrowserMs / targetMs:0.00}");
Console.WriteLine($"  median of {result.WarmMs.Count} later visits:      {result.WarmMedianMs:0} ms   ratio to the 2 s target: {result.WarmMedianMs / targetMs:0.00}");
Console.WriteLine($"  filter round trip (type, table narrows): {result.FilterMs:0} ms");
Console.WriteLine($"  parallel coordinates tab drawn:          {result.ParallelMs:0} ms");
Console.WriteLine($"  screenshots: {outDir}");
return result.FreshBrowserMs <= targetMs && result.WarmMedianMs <= targetMs ? 0 : 1;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
