namespace Experiments.Worker.Hosting;

/// <summary>One worker process: its device and how it polls; bound from the <c>Worker</c> section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>: the AppHost gives each GPU its own worker.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>How long an idle worker waits before looking at the queue again when no wake-up arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often this worker requeues trials whose lease expired (every worker reaps; the script is atomic).</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(5);
}
