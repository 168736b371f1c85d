namespace Experiments.Worker.Hosting;

/// <summary>
/// This process's name in leases: machine, process id and a random suffix, so owners are unique across
/// machines and restarts, and an operator can tell which process holds a trial.
/// </summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3))}";
}
