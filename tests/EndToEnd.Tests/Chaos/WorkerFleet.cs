using System.Globalization;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>Real Worker processes against one store, with short leases so lost workers are noticed in seconds.</summary>
internal sealed class WorkerFleet(string storeConnectionString, string workDirectory, int maxAttempts, int maxInterruptions = 10) : IDisposable
{
    private readonly List<ChildProcess> _workers = [];
    private int _started;

    public IReadOnlyList<ChildProcess> Running => _workers.Where(w => !w.HasExited).ToList();

    public IReadOnlyList<ChildProcess> All => _workers;

    /// <param name="extraEnvironment">Added to the worker's environment (e.g. libfaketime's, to shift its clock).</param>
    /// <param name="launcher">What runs dotnet by exec, e.g. <c>ip netns exec NAME</c> for a worker on a machine of its own.</param>
    public ChildProcess StartOne(IReadOnlyDictionary<string, string>? extraEnvironment = null, IReadOnlyList<string>? launcher = null)
    {
        var index = Interlocked.Increment(ref _started);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__store"] = storeConnectionString,
            ["Store__LeaseDuration"] = "00:00:03",
            ["Store__MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
            ["Store__MaxInterruptions"] = maxInterruptions.ToString(CultureInfo.InvariantCulture),
            ["Worker__Device"] = "cpu",
            ["Worker__PollInterval"] = "00:00:00.500",
            ["Worker__ReapInterval"] = "00:00:01",
            ["Checkpoints__Root"] = Path.Combine(workDirectory, "checkpoints"),
            ["Data__Root"] = Path.Combine(workDirectory, "datasets"),
            // One thread each: two workers share this machine's two cores.
            ["Training__Threads"] = "1",
        };
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var worker = ChildProcess.Start(BuiltAssemblies.Worker, environment, Path.Combine(workDirectory, $"worker-{index}.log"), launcher);
        _workers.Add(worker);
        return worker;
    }

    public ChildProcess? FindByOwner(string? owner)
    {
        // Owners are "<machine>-<pid>-<suffix>": the pid names the process.
        var parts = owner?.Split('-');
        if (parts is not { Length: >= 3 } || !int.TryParse(parts[^2], out var pid))
        {
            return null;
        }

        return _workers.FirstOrDefault(w => w.Id == pid && !w.HasExited);
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }
}
