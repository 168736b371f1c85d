using System.Globalization;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// What a trainer child that ended without reporting an outcome died of, in words for the attempt's reason. On Linux
/// .NET reports a child killed by signal N as exit code 128 + N (it cannot tell them apart); the trainer itself only
/// ever exits with 0 or 2, so a code above 128 is the signal.
/// </summary>
public static class TrainerCrash
{
    private const int SignalBase = 128;
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigAbrt = 6;
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private static readonly Dictionary<int, string> LinuxSignals = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS",
        [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE",
        [14] = "SIGALRM", [15] = "SIGTERM", [24] = "SIGXCPU", [25] = "SIGXFSZ", [31] = "SIGSYS",
    };

    /// <summary>
    /// The stop signal the child died of, or null: SIGHUP, SIGINT or SIGTERM reach a trainer only from outside (a Ctrl+C
    /// or a stop sent to its worker's whole process group) and kill it only while it starts, before it ignores them.
    /// The infrastructure's doing, not the trial's: an interruption, not a failure.
    /// </summary>
    public static string? StopSignal(int exitCode) =>
        OperatingSystem.IsLinux() && (exitCode - SignalBase) is SigHup or SigInt or SigTerm ? LinuxSignals[exitCode - SignalBase] : null;

    /// <param name="exitCode">As <see cref="System.Diagnostics.Process.ExitCode"/> gives it.</param>
    /// <param name="oomKills">How many processes the kernel's OOM killer killed in the trainer's cgroup meanwhile (null: unknown).</param>
    public static string Describe(int exitCode, long? oomKills) => "trainer crashed: " + Cause(exitCode, oomKills);

    private static string Cause(int exitCode, long? oomKills)
    {
        int signal = exitCode - SignalBase;
        if (OperatingSystem.IsWindows() || signal is <= 0 or > 64)
        {
            return string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode}");
        }

        var name = LinuxSignals.GetValueOrDefault(signal);
        return signal switch
        {
            // The kernel's OOM killer sends SIGKILL and counts it in the cgroup; the worker sent none (it asked to stop first).
            SigKill when oomKills > 0 => "out of memory (killed by the kernel's OOM killer)",
            SigKill => "killed by SIGKILL",
            SigAbrt => "aborted (SIGABRT)",
            _ when OperatingSystem.IsLinux() && name is not null => string.Create(CultureInfo.InvariantCulture, $"killed by signal {signal} ({name})"),
            _ => string.Create(CultureInfo.InvariantCulture, $"killed by signal {signal}"),
        };
    }
}
