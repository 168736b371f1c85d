namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// The OOM killer's count for a process's memory cgroup: <c>oom_kill</c> in <c>memory.events</c> (cgroup v2, counts
/// the cgroup and those below it) or in <c>memory.oom_control</c> (cgroup v1). Read before a trainer starts and after
/// it died of SIGKILL: a rise means the kernel killed it for memory, not a person or another program. The kernel counts
/// the kill in the victim's cgroup, so this is found from the trainer's own <c>/proc/PID/cgroup</c>, once the trainer is
/// where it will run (<see cref="TrainerCgroup"/>).
/// </summary>
public sealed class OomKillCounter(string? file)
{
    /// <summary>The file read; null where there is none (not Linux, no memory controller).</summary>
    public string? File { get; } = file;

    public static OomKillCounter ForProcess(int processId)
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return new(null);
            }

            var cgroups = System.IO.File.ReadAllLines($"/proc/{processId}/cgroup");
            // The trainer shares the worker's mounts: where its cgroup's files are is read from the worker's mount table.
            var mounts = System.IO.File.ReadAllLines("/proc/self/mountinfo");
            return new(Candidates(cgroups, mounts).FirstOrDefault(System.IO.File.Exists));
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

    /// <summary>
    /// The counter files for lines of <c>/proc/PID/cgroup</c> (<c>0::/path</c> for v2, <c>N:memory,...:/path</c> for v1)
    /// under the cgroup mounts of <c>/proc/self/mountinfo</c>. A mount's root need not be the hierarchy's: a container on
    /// cgroup v1 sees its own cgroup <c>/docker/ID</c> mounted as <c>/sys/fs/cgroup/memory</c>, so that prefix is cut off.
    /// </summary>
    internal static IEnumerable<string> Candidates(IEnumerable<string> cgroupLines, IEnumerable<string> mountInfoLines)
    {
        var mounts = mountInfoLines.Select(CgroupMount.Parse).OfType<CgroupMount>().ToList();
        foreach (var line in cgroupLines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var v2 = parts[0] == "0" && parts[1].Length == 0;
            if (!v2 && !parts[1].Split(',').Contains("memory"))
            {
                continue;
            }

            foreach (var mount in mounts.Where(m => v2 ? m.IsV2 : m.HasMemory))
            {
                if (mount.Below(parts[2]) is { } relative)
                {
                    yield return $"{mount.MountPoint}{relative}/{(v2 ? "memory.events" : "memory.oom_control")}";
                }
            }
        }
    }

    /// <summary>A cgroup file system in the mount table: what part of its hierarchy (root) shows where (mount point).</summary>
    private sealed record CgroupMount(string Root, string MountPoint, bool IsV2, bool HasMemory)
    {
        /// <summary>One line of mountinfo: <c>ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS</c>.</summary>
        public static CgroupMount? Parse(string line)
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (separator < 5 || fields.Length < separator + 4)
            {
                return null;
            }

            return fields[separator + 1] switch
            {
                "cgroup2" => new(Unescape(fields[3]), Unescape(fields[4]), IsV2: true, HasMemory: false),
                "cgroup" => new(Unescape(fields[3]), Unescape(fields[4]), IsV2: false, fields[separator + 3].Split(',').Contains("memory")),
                _ => null,
            };
        }

        /// <summary>The cgroup path relative to this mount ("" for its root), or null when the mount does not show it.</summary>
        public string? Below(string cgroupPath)
        {
            var root = Root.TrimEnd('/');
            var path = cgroupPath.TrimEnd('/');
            return path == root ? "" : path.StartsWith(root + "/", StringComparison.Ordinal) ? path[root.Length..] : null;
        }

        /// <summary>mountinfo writes a space, tab, newline or backslash in a path as an octal escape.</summary>
        private static string Unescape(string field) =>
            field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
                .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
    }
}
