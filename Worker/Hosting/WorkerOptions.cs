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

    /// <summary>Bytes that must stay free on the checkpoint volume besides a trial's checkpoints, for everything else.</summary>
    public long CheckpointSpaceMargin { get; set; } = 1_000_000_000;

    /// <summary>How long a worker that had no room for any queued trial waits before it looks again.</summary>
    public TimeSpan SpaceRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often this worker finishes interrupted sweep deletions and removes deleted sweeps' checkpoints.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A scratch file (a checkpoint or download cut short) of another machine counts as abandoned once nothing
    /// has written to it for this long; this machine's own are removed as soon as their process is gone.
    /// </summary>
    public TimeSpan StrayFileAge { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How often a running trial reports its in-epoch progress (with a lease renewal, so at least every third of the
    /// lease). A few seconds: the pages move while a minutes-long epoch runs, at one small script per trial.
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A trainer that finishes no batch (training or evaluation) for this long is stopped as hung, the attempt counted
    /// as the trial's failure, and its lease no longer renewed. Generous: a ResNet-34 batch takes seconds on a CPU, and
    /// a false alarm costs an attempt, while a wedged trainer only holds its worker this much longer.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Where each attempt trains: <c>child</c> (a process of its own, supervised by this worker: a segfault, abort or
    /// OOM kill ends only the attempt, recorded with its signal as the trial's failure, and the watchdog can kill a hung
    /// trainer) or <c>in-process</c> (a thread of the worker: no process start per attempt, but such a crash takes the
    /// worker down and the attempt is only reaped as lost).
    /// </summary>
    public string TrialProcess { get; set; } = TrialProcessModes.Child;

    /// <summary>
    /// A cgroup directory every trainer child is moved into as it starts (its PID written to <c>cgroup.procs</c>), to cap
    /// what trials may use without capping the worker: v2 <c>/sys/fs/cgroup/trainers</c> with <c>memory.max</c>, v1 the
    /// memory hierarchy's <c>/sys/fs/cgroup/memory/trainers</c> with <c>memory.limit_in_bytes</c>. A trial over the cap is
    /// killed by the kernel's OOM killer alone and recorded as out of memory. Unset (default): the trainer stays in the
    /// worker's cgroup. Linux and <see cref="TrialProcess"/> <c>child</c> only; the cgroup is made (and limited) by its owner.
    /// </summary>
    public string? TrainerCgroup { get; set; }
}

/// <summary>The values of <see cref="WorkerOptions.TrialProcess"/>.</summary>
public static class TrialProcessModes
{
    public const string Child = "child";

    public const string InProcess = "in-process";

    public static IReadOnlyList<string> All { get; } = [Child, InProcess];
}
