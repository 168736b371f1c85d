using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Garnet;
using StackExchange.Redis;

namespace Experiments.DashboardScale;

/// <summary>
/// Embedded Garnet seeded through the real queue (submit, then claim / record 50 epochs / finish per trial):
/// one scale sweep per size plus many small finished sweeps for the list, and the real Dashboard process pointed at
/// it with <c>ConnectionStrings__store</c>.
/// </summary>
internal sealed class StoreTarget(GarnetServer garnet, ConnectionMultiplexer redis, Process dashboard, Uri address, IReadOnlyList<(int Trials, string Path)> sweeps, int sweepCount, string dataDir) : IBenchTarget
{
    private const string BrowserToken = "bench-browser-token-0123456789";

    /// <summary>Simulated workers draining the queue while seeding: enough to keep the store busy.</summary>
    private const int SeedWorkers = 32;

    public Uri BaseAddress => address;
    public string Token => BrowserToken;
    public IReadOnlyList<(int Trials, string Path)> Sweeps => sweeps;
    public int SweepCount => sweepCount;

    public static async Task<StoreTarget> StartAsync(string dashboardDll, IReadOnlyList<int> sizes, int smallSweeps)
    {
        var storePort = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("dashboard-scale-").FullName;
        // The same flags the embedded store runs with (durable AOF with commit-wait, Lua transactions, password).
        var password = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var garnet = new GarnetServer(new Experiments.GarnetStore.GarnetArguments(storePort, password, dataDir, []).ToGarnetArgs());
        garnet.Start();
        var connection = $"127.0.0.1:{storePort},password={password}";
        // Seeding only: a generous timeout, so a machine busy with other work slows the seeding instead of failing it.
        var redis = await ConnectionMultiplexer.ConnectAsync(connection + ",asyncTimeout=120000,syncTimeout=120000");

        var options = new StoreOptions { KeyPrefix = "bench:" };
        var store = new SweepStore(redis, options, TimeProvider.System);
        var queue = new TrialQueue(redis, options, TimeProvider.System);
        // The list's many sweeps first (older), one trial of one epoch each; then one scale sweep per size.
        var index = new Dictionary<string, (int Index, int Epochs)>(StringComparer.Ordinal);
        for (var s = 0; s < smallSweeps; s++)
        {
            var small = ScaleSweep.Plan(1) with { Name = $"list-{s:0000}" };
            var one = await store.SubmitAsync(small, traceParent: null);
            index[one.TrialIds[0]] = (s, 1);
        }

        var scaleSweeps = new List<(int Trials, string Path)>();
        foreach (var size in sizes)
        {
            var submitted = await store.SubmitAsync(ScaleSweep.Plan(size), traceParent: null);
            scaleSweeps.Add((size, "/sweeps/" + Uri.EscapeDataString(submitted.SweepId)));
            for (var i = 0; i < submitted.TrialIds.Count; i++)
            {
                index[submitted.TrialIds[i]] = (i, ScaleSweep.Epochs);
            }
        }

        // Simulated workers drain the queue, recording every epoch through the fenced write path.
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, SeedWorkers).Select(async w =>
        {
            while (await queue.TryClaimAsync($"bench-worker-{w}") is { } lease)
            {
                var (i, epochs) = index[lease.TrialId];
                for (var epoch = 1; epoch <= epochs; epoch++)
                {
                    await queue.RecordEpochAsync(lease, ScaleSweep.Epoch(i, epoch));
                }

                await queue.FinishAsync(lease, TrialOutcome.Completed([ScaleSweep.Evaluation(i)]));
                if (Interlocked.Increment(ref done) % 2000 == 0)
                {
                    Console.WriteLine($"  seeded {done} of {index.Count} trials");
                }
            }
        }));

        var webPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [dashboardDll])
        {
            WorkingDirectory = Path.GetDirectoryName(dashboardDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{webPort}";
        // Development so a build (not publish) output serves its static web assets from the project.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__store"] = connection;
        start.Environment["Store__KeyPrefix"] = options.KeyPrefix;
        start.Environment["Dashboard__BrowserToken"] = BrowserToken;
        start.Environment["Api__Key"] = "bench-api-key-0123456789abcdef";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var dashboard = Process.Start(start)!;
        dashboard.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("  [dashboard] " + e.Data); };
        dashboard.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("  [dashboard] " + e.Data); };
        dashboard.BeginOutputReadLine();
        dashboard.BeginErrorReadLine();

        var address = new Uri($"http://127.0.0.1:{webPort}");
        await WaitUntilServingAsync(address, dashboard);
        return new StoreTarget(garnet, redis, dashboard, address, scaleSweeps, smallSweeps + sizes.Count, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (!dashboard.HasExited)
        {
            dashboard.Kill(entireProcessTree: true);
            await dashboard.WaitForExitAsync();
        }

        dashboard.Dispose();
        await redis.DisposeAsync();
        garnet.Dispose();
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task WaitUntilServingAsync(Uri address, Process dashboard)
    {
        using var http = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !dashboard.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/signin");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("The Dashboard did not start serving /signin within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
