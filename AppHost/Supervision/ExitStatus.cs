namespace Experiments.AppHost.Supervision;

/// <summary>
/// What an exit code says about how a process ended. A shell-style code 128+N (137 for SIGKILL) and a negative code
/// -N (.NET's and Go's convention for "killed by signal N") both name the signal.
/// </summary>
public static class ExitStatus
{
    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP",
        [2] = "SIGINT",
        [3] = "SIGQUIT",
        [4] = "SIGILL",
        [5] = "SIGTRAP",
        [6] = "SIGABRT",
        [7] = "SIGBUS",
        [8] = "SIGFPE",
        [9] = "SIGKILL",
        [10] = "SIGUSR1",
        [11] = "SIGSEGV",
        [12] = "SIGUSR2",
        [13] = "SIGPIPE",
        [14] = "SIGALRM",
        [15] = "SIGTERM",
        [24] = "SIGXCPU",
        [25] = "SIGXFSZ",
    };

    /// <summary>The signal an exit code reports, or null when it reports none (or the code is unknown).</summary>
    public static string? SignalName(int? exitCode) => exitCode switch
    {
        > 128 and < 128 + 65 => Name(exitCode.Value - 128),
        < -1 and > -65 => Name(-exitCode.Value),
        _ => null,
    };

    private static string Name(int signal) => SignalNames.TryGetValue(signal, out var name) ? name : $"signal {signal}";
}
