using System.Globalization;
using System.Text;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// Moves a trainer child into the cgroup <see cref="WorkerOptions.TrainerCgroup"/> names, as soon as it has started and
/// before it loads the trainer: what it allocates from then on counts against that cgroup's limit, not the worker's.
/// </summary>
internal static class TrainerCgroup
{
    /// <summary>Writes the PID to <c>cgroup.procs</c> in one write, as the kernel wants it (v1 and v2 alike).</summary>
    /// <exception cref="IOException">The kernel refused (no such process, a v2 cgroup with controllers below it, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The worker may not move processes there.</exception>
    public static void Enter(string cgroup, int processId)
    {
        var pid = Encoding.ASCII.GetBytes(processId.ToString(CultureInfo.InvariantCulture));
        using var procs = new FileStream(Path.Combine(cgroup, "cgroup.procs"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        procs.Write(pid);
    }
}
