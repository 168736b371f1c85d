using System.Globalization;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// A real memory cgroup of the test's own with a small limit and no swap, made at the root of this machine's memory
/// hierarchy (cgroup v2 <c>/sys/fs/cgroup</c>, or v1 <c>/sys/fs/cgroup/memory</c>) and removed afterwards. Needs root
/// (CI runs as root): elsewhere the test skips with the reason, unless EXPERIMENTS_REQUIRE_EXTERNALS=1 makes it fail.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private const string Mount = "/sys/fs/cgroup";

    private MemoryCgroup(string path, bool v2)
    {
        Path = path;
        IsV2 = v2;
    }

    /// <summary>The cgroup's directory, as <c>Worker:TrainerCgroup</c> takes it.</summary>
    public string Path { get; }

    public bool IsV2 { get; }

    /// <summary>How many processes the kernel's OOM killer has killed in it, read as the kernel keeps it.</summary>
    public long OomKills =>
        File.ReadLines(System.IO.Path.Combine(Path, IsV2 ? "memory.events" : "memory.oom_control"))
            .Select(l => l.Split(' '))
            .Where(p => p is ["oom_kill", _])
            .Select(p => long.Parse(p[1], CultureInfo.InvariantCulture))
            .Single();

    /// <summary>Makes the cgroup, or skips the calling test with the reason it cannot (fails instead under CI's variable).</summary>
    public static MemoryCgroup Create(long limitBytes)
    {
        var made = TryCreate(limitBytes, out var whyNot);
        if (made is not null)
            return made;

        Assert.True(
            Environment.GetEnvironmentVariable(StoreServer.RequireExternalsVariable) != "1",
            $"{whyNot} ({StoreServer.RequireExternalsVariable}=1 makes this a failure).");
        Skip.If(true, whyNot);
        throw new InvalidOperationException("unreachable");
    }

    private static MemoryCgroup? TryCreate(long limitBytes, out string whyNot)
    {
        if (!OperatingSystem.IsLinux())
        {
            whyNot = "cgroups are Linux's";
            return null;
        }

        // v2 where the unified hierarchy has the memory controller; else v1's memory hierarchy (hybrid machines mount
        // an empty unified one beside it, as this one does).
        bool v2 = File.Exists($"{Mount}/cgroup.subtree_control") && File.ReadAllText($"{Mount}/cgroup.subtree_control").Split().Contains("memory");
        var root = v2 ? Mount : $"{Mount}/memory";
        if (!File.Exists($"{root}/cgroup.procs"))
        {
            whyNot = $"no memory cgroup hierarchy is mounted (neither {Mount} with the memory controller enabled nor {Mount}/memory)";
            return null;
        }

        var path = $"{root}/experiments-test-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot make a memory cgroup under {root} (needs root and a writable cgroup mount): {ex.Message}";
            return null;
        }

        var cgroup = new MemoryCgroup(path, v2);
        try
        {
            var limit = limitBytes.ToString(CultureInfo.InvariantCulture);
            if (v2)
            {
                cgroup.Write("memory.max", limit);
                cgroup.WriteIfPresent("memory.swap.max", "0");
            }
            else
            {
                cgroup.Write("memory.limit_in_bytes", limit);
                // Memory plus swap no larger than memory: over the limit means the OOM killer, never swapping instead.
                cgroup.WriteIfPresent("memory.memsw.limit_in_bytes", limit);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cgroup.Dispose();
            whyNot = $"cannot set the memory limit of {path}: {ex.Message}";
            return null;
        }

        whyNot = "";
        return cgroup;
    }

    private void Write(string file, string value) => File.WriteAllText(System.IO.Path.Combine(Path, file), value);

    private void WriteIfPresent(string file, string value)
    {
        if (File.Exists(System.IO.Path.Combine(Path, file)))
            Write(file, value);
    }

    /// <summary>
    /// Removes the cgroup once the processes in it are gone (a killed process leaves it only when it is reaped):
    /// rmdir is refused while any remains.
    /// </summary>
    public void Dispose()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(100);
            }
        }
    }
}
