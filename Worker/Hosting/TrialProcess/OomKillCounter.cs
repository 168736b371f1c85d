namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// The OOM killer's count for a process's memory cgroup: <c>oom_kill</c> in <c>memory.events</c> (cgroup v2, counts
/// the cgroup and those below it) or in <c>memory.oom_control</c> (cgroup v1). Read before a trainer starts and after
/// it died of SIGKILL: a rise means the kernel killed it for memory, not a person or another program.
/// </summary>
public sealed class OomKillCounter(string? file)
{
    /// <summary>The file read; null where there is none (not Linux, no memory controller).</summary>
    public string? File { get; } = file;

    public static OomKillCounter ForProcess(int processId, string cgroupRoot = "/sys/fs/cgroup")
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return new(null);
            }

            var lines = System.IO.File.ReadAllLines($"/proc/{processId}/cgroup");
            return new(Candidates(lines, cgroupRoot).FirstOrDefault(System.IO.File.Exists));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(null);
        }
    }

    /// <summary>The count now, or null when it cannot be read.</summary>
    public long? Read()
    {
        if (File is null)
        {
            return null;
        }

        try
        {
            foreach (var line in System.IO.File.ReadLines(File))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts is ["oom_kill", var count] && long.TryParse(count, System.Globalization.CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Lines of <c>/proc/PID/cgroup</c>: <c>0::/path</c> (v2) or <c>N:memory,...:/path</c> (v1).</summary>
    internal static IEnumerable<string> Candidates(IEnumerable<string> cgroupLines, string cgroupRoot)
    {
        foreach (var line in cgroupLines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var path = parts[2].TrimEnd('/');
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                yield return $"{cgroupRoot}{path}/memory.events";
                yield return $"{cgroupRoot}/unified{path}/memory.events";
            }
            else if (parts[1].Split(',').Contains("memory"))
            {
                yield return $"{cgroupRoot}/memory{path}/memory.oom_control";
            }
        }
    }
}
