using Experiments.AppHost.Store;
using Experiments.AppHost.Supervision;

namespace Experiments.AppHost;

/// <summary>
/// Adds the workers <c>Workers</c> configuration asks for: <c>Cpu</c> CPU workers of <c>CpuThreads</c> torch threads
/// each (default 2 x 1: bench/packing measured it above 1 x 2, see the README) and one worker per entry of
/// <c>Cuda</c> (e.g. <c>cuda:0,cuda:1</c>), each pinned to its device.
/// </summary>
public static class WorkerResourceExtensions
{
    public static IDistributedApplicationBuilder AddWorkers(
        this IDistributedApplicationBuilder builder,
        ExperimentsStore store,
        Action<IResourceBuilder<ProjectResource>> configure)
    {
        var section = builder.Configuration.GetSection("Workers");
        var cpuText = section["Cpu"] ?? "2";
        if (!int.TryParse(cpuText, out var cpuWorkers) || cpuWorkers is < 0 or > 64)
        {
            throw new InvalidOperationException($"Workers:Cpu must be a whole number from 0 to 64 (was '{cpuText}').");
        }

        var threadsText = section["CpuThreads"] ?? "1";
        if (!int.TryParse(threadsText, out var cpuThreads) || cpuThreads is < 0 or > 256)
        {
            throw new InvalidOperationException($"Workers:CpuThreads must be a whole number from 0 (libtorch's default) to 256 (was '{threadsText}').");
        }

        var cudaDevices = (section["Cuda"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(device => device.StartsWith("cuda", StringComparison.Ordinal) ? device : $"cuda:{device}")
            .ToList();
        if (cpuWorkers == 0 && cudaDevices.Count == 0)
        {
            throw new InvalidOperationException("No workers configured: set Workers:Cpu >= 1 or list devices in Workers:Cuda.");
        }

        if (cpuWorkers > 0)
        {
            var cpu = builder.AddProject<Projects.Worker>("worker")
                .WithReplicas(cpuWorkers)
                .WithEnvironment(ServiceSettings.Environment(ServiceSettings.WorkerDevice), "cpu")
                .WithEnvironment(ServiceSettings.Environment(ServiceSettings.TrainingThreads), cpuThreads.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithStore(store)
                .WithRestartOnCrash();
            configure(cpu);
        }

        foreach (var device in cudaDevices)
        {
            var gpu = builder.AddProject<Projects.Worker>($"worker-{device.Replace(":", "", StringComparison.Ordinal)}")
                .WithEnvironment(ServiceSettings.Environment(ServiceSettings.WorkerDevice), device)
                .WithStore(store)
                .WithRestartOnCrash();
            configure(gpu);
        }

        return builder;
    }
}
