using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Garnet;
using StackExchange.Redis;

namespace Experiments.DashboardScale;

/// <summary>
/// Embedded Garnet seeded through the real queue (submit, then claim / record 50 epochs / finish per trial),
/// and the real Dashboard process pointed at it with <c>ConnectionStrings__store</c>.
/// </summary>
internal sealed class StoreTarget(GarnetServer garnet, ConnectionMultiplexer redis, Process dashboard, Uri address, string sweepId, string dataDir) : IBenchTarget
{
    private const string BrowserToken = "bench-browser-token-0123456789";

    public Uri BaseAddress => address;
    public string Token => BrowserToken;
    public string SweepPath => "/sweeps/" + Uri.EscapeDataString(sweepId);

    public static async Task<StoreTarget> StartAsync(string dashboardDll)
    {
        var storePort = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("dashboard-scale-").FullName;
        // The same flags the embedded store runs with (durable AOF with commit-wait, Lua transactions, password).
        var password = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var garnet = new GarnetServer(new Experiments.GarnetStore.GarnetArguments(storePort, password, dataDir, []).ToGarnetArgs());
        garnet.Start();
        var connection = $"127.0.0.1:{storePort},password={password}";
        var redis = await ConnectionMultiplexer.ConnectAsync(connection);

        var options = new StoreOptions { KeyPrefix = "bench:" };
        var store = new SweepStore(redis, options, TimeProvider.System);
        var queue = new TrialQueue(redis, options, TimeProvider.System);
        var plan = ScaleSweep.Plan();
        var submitted = await store.SubmitAsync(plan, traceParent: null);
        var index = submitted.TrialIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);

        // Eight simulated workers drain the queue, recording every epoch through the fenced write path.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            while (await queue.TryClaimAsync($"bench-worker-{w}") is { } lease)
            {
                var i = index[lease.TrialId];
                for (var epoch = 1; epoch <= ScaleSweep.Epochs; epoch++)
                {
                    await queue.RecordEpochAsync(lease, ScaleSweep.Epoch(i, epoch));
                }

                await queue.FinishAsync(lease, TrialOutcome.Completed([ScaleSweep.Evaluation(i)]));
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
        return new StoreTarget(garnet, redis, dashboard, address, submitted.SweepId, dataDir);
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
