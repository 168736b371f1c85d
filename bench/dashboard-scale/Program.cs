using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Core.CommandLine;
using Experiments.DashboardScale;

// Usage: run [--memory] [--dashboard PATH/Experiments.Dashboard.dll] [--sizes 1000,2000,10000] [--sweeps 1000] [--out DIR]
//   default  seeds embedded Garnet through SweepStore + TrialQueue and starts the real Dashboard (needs --dashboard).
//   --memory serves the Dashboard UI in-process over one 2,000-trial sweep held in memory (no store needed).
var memoryOption = new Option<bool>("--memory") { Description = "Serve the Dashboard UI in-process over a 2,000-trial sweep held in memory (no store)" };
var dashboardOption = new Option<FileInfo?>("--dashboard") { Description = "The built Experiments.Dashboard.dll to start against the real store", HelpName = "file" };
dashboardOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<FileInfo?>() is { Exists: false } file)
        result.AddError($"--dashboard: no file at {file.FullName}");
});
var sizesOption = new Option<string>("--sizes") { Description = "Trials per scale sweep, comma-separated, each of 50 epochs; the growth ratio compares the largest to the smallest", DefaultValueFactory = _ => "1000,2000,10000" };
sizesOption.Validators.Add(result =>
{
    if (ParseSizes(result.GetValueOrDefault<string>()) is null)
        result.AddError("--sizes: give one or more trial counts from 1 to 20000, comma-separated (e.g. 1000,2000,10000)");
});
var sweepsOption = new Option<int>("--sweeps") { Description = "Small finished sweeps seeded besides the scale sweeps, for the Sweeps list", DefaultValueFactory = _ => 1000 };
sweepsOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 0 or > 100_000)
        result.AddError("--sweeps: give 0 to 100000");
});
var outOption = CommandLineOptions.Folder("--out", "Where the screenshots go", Path.Combine(AppContext.BaseDirectory, "out"));
var root = new RootCommand("Time to a rendered Sweep page at 1,000 / 2,000 / 10,000 trials x 50 epochs (and the Sweeps list over 1,000 sweeps) in headless Chromium; prints the growth from the smallest to the largest.");
root.Options.Add(memoryOption);
root.Options.Add(dashboardOption);
root.Options.Add(sizesOption);
root.Options.Add(sweepsOption);
root.Options.Add(outOption);
root.Validators.Add(result =>
{
    if (!result.GetValue(memoryOption) && result.GetValue(dashboardOption) is null)
        result.AddError("--dashboard PATH/Experiments.Dashboard.dll is needed unless --memory is given");
});
root.SetAction((parsed, _) => MeasureAsync(
    parsed.GetValue(memoryOption), parsed.GetValue(dashboardOption)?.FullName, ParseSizes(parsed.GetValue(sizesOption))!,
    parsed.GetValue(sweepsOption), parsed.GetValue(outOption)!.FullName));
return await CommandLineRunner.RunAsync(root, args);

static async Task<int> MeasureAsync(bool memory, string? dashboard, IReadOnlyList<int> sizes, int smallSweeps, string outDir)
{
    Directory.CreateDirectory(outDir);
    Console.WriteLine($"CPU: {CpuModel()} ({Environment.ProcessorCount} cores)");
    Console.WriteLine(memory
        ? "Serving one 2,000-trial x 50-epoch sweep held in memory..."
        : $"Seeding embedded Garnet via SweepStore + TrialQueue: sweeps of {string.Join(", ", sizes)} trials x {ScaleSweep.Epochs} epochs and {smallSweeps} small sweeps...");
    var setup = Stopwatch.StartNew();
    await using IBenchTarget target = memory ? await InMemoryTarget.StartAsync() : await StoreTarget.StartAsync(dashboard!, sizes, smallSweeps);
    Console.WriteLine($"Ready in {setup.Elapsed.TotalSeconds:0.0} s: {target.BaseAddress}");

    var result = await PageTimer.MeasureAsync(target.BaseAddress, target.Token, target.Sweeps, outDir);
    Console.WriteLine();
    Console.WriteLine($"Sweeps list over {target.SweepCount} sweeps, first page drawn: first visit {result.ListColdMs:0} ms, later visit {result.ListWarmMs:0} ms");
    Console.WriteLine("Sweep page, time to table rows + learning curves on screen (headless Chromium; the curves from the first HTML, plotly's interactive chart after the circuit connects):");
    Console.WriteLine("  trials   first visit   new browser   median later visit   (plotly interactive, later visit)");
    foreach (var visits in result.Sweeps)
    {
        Console.WriteLine($"  {visits.Trials,6}   {visits.ColdMs,8:0} ms   {visits.FreshBrowserMs,8:0} ms   {visits.WarmMedianMs,8:0} ms            ({visits.WarmInteractiveMedianMs:0} ms)");
    }

    Console.WriteLine($"  filter round trip on the largest (type, table narrows): {result.FilterMs:0} ms");
    Console.WriteLine($"  parallel coordinates tab drawn on the largest:          {result.ParallelMs:0} ms");
    Console.WriteLine($"  screenshots: {outDir}");
    var smallest = result.Sweeps[0];
    var largest = result.Sweeps[^1];
    var growth = largest.WarmMedianMs / smallest.WarmMedianMs;
    // The issue fixes this line's form: other tools read it. G: median later visit, largest over smallest.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"growth {largest.Trials}/{smallest.Trials}: {growth:0.00}; sweep page {largest.Trials} trials: {largest.WarmMedianMs:0} ms"));
    return growth <= 2.0 && largest.WarmMedianMs < 1000 ? 0 : 1;
}

static IReadOnlyList<int>? ParseSizes(string? text)
{
    var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var sizes = new List<int>();
    foreach (var part in parts)
    {
        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 20_000)
            return null;
        sizes.Add(size);
    }

    return sizes.Count >= 1 ? [.. sizes.Order()] : null;
}

static string CpuModel()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
    }
    catch (IOException)
    {
        return "unknown";
    }
}
