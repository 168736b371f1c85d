using System.Diagnostics;
using Experiments.Worker.Hosting.TrialProcess;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>How a trainer child that died without an outcome is named in its attempt's reason.</summary>
public sealed class TrainerCrashTests
{
    [SkippableTheory]
    [InlineData(139, 0L, "trainer crashed: killed by signal 11 (SIGSEGV)")]
    [InlineData(134, null, "trainer crashed: aborted (SIGABRT)")]
    [InlineData(137, 1L, "trainer crashed: out of memory (killed by the kernel's OOM killer)")]
    [InlineData(137, 0L, "trainer crashed: killed by SIGKILL")]
    [InlineData(137, null, "trainer crashed: killed by SIGKILL")]
    [InlineData(135, 0L, "trainer crashed: killed by signal 7 (SIGBUS)")]
    [InlineData(1, 0L, "trainer crashed: exit code 1")]
    public void NamesTheSignalOrTheExitCode(int exitCode, long? oomKills, string reason)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux signal numbers");
        Assert.Equal(reason, TrainerCrash.Describe(exitCode, oomKills));
    }

    [SkippableTheory]
    [InlineData("SEGV", "trainer crashed: killed by signal 11 (SIGSEGV)")]
    [InlineData("ABRT", "trainer crashed: aborted (SIGABRT)")]
    [InlineData("KILL", "trainer crashed: killed by SIGKILL")]
    public void AProcessKilledByASignalIsNamedForIt(string signal, string reason)
    {
        // What .NET's Process.ExitCode really gives for a signalled child (128 + N on Linux), from a real process.
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux signals");
        using var process = Process.Start("sh", ["-c", $"kill -{signal} $$"]);
        process.WaitForExit();

        Assert.Equal(reason, TrainerCrash.Describe(process.ExitCode, 0));
    }

    [SkippableTheory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "SIGINT")]
    [InlineData("HUP", "SIGHUP")]
    [InlineData("KILL", null)]
    [InlineData("SEGV", null)]
    [InlineData("ABRT", null)]
    public void OnlyAStopSignalFromOutsideIsTakenForAStopNotACrash(string signal, string? stop)
    {
        // A real process killed by the signal: a trainer dies of these three only before it ignores them, so only a stop
        // sent to its worker's process group (a Ctrl+C, an orchestrator's stop) kills it with one: an interruption.
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux signals");
        using var process = Process.Start("sh", ["-c", $"kill -{signal} $$"]);
        process.WaitForExit();

        Assert.Equal(stop, TrainerCrash.StopSignal(process.ExitCode));
        Assert.Null(TrainerCrash.StopSignal(0));
        Assert.Null(TrainerCrash.StopSignal(2));
    }

    [Fact]
    public void FindsTheOomKillCountOfCgroupV2AndV1()
    {
        string[] v2 = ["0::/system.slice/worker.service"];
        string[] v2Mounts = ["25 20 0:22 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate"];
        // A hybrid machine like this one: v1 controllers, an empty unified hierarchy beside them.
        string[] v1 = ["12:pids:/", "4:memory:/process_api/abc", "0::/"];
        string[] v1Mounts =
        [
            "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
        ];

        Assert.Equal(["/sys/fs/cgroup/system.slice/worker.service/memory.events"], OomKillCounter.Candidates(v2, v2Mounts));
        Assert.Equal(["/sys/fs/cgroup/memory/process_api/abc/memory.oom_control", "/sys/fs/cgroup/unified/memory.events"], OomKillCounter.Candidates(v1, v1Mounts));
    }

    [Fact]
    public void FindsTheOomKillCountOfAContainerWhoseOwnCgroupIsMountedAsTheRoot()
    {
        // Docker on cgroup v1 without a cgroup namespace: /proc says /docker/ID, and that cgroup is what is mounted.
        string[] cgroups = ["9:memory:/docker/abc", "0::/"];
        string[] mounts = ["700 690 0:31 /docker/abc /sys/fs/cgroup/memory ro,nosuid master:15 - cgroup cgroup rw,memory"];
        // A trainer moved into a cgroup below the container's.
        string[] moved = ["9:memory:/docker/abc/trainers", "0::/"];
        // A cgroup the mount does not show has no file here.
        string[] elsewhere = ["9:memory:/other", "0::/"];

        Assert.Equal(["/sys/fs/cgroup/memory/memory.oom_control"], OomKillCounter.Candidates(cgroups, mounts));
        Assert.Equal(["/sys/fs/cgroup/memory/trainers/memory.oom_control"], OomKillCounter.Candidates(moved, mounts));
        Assert.Empty(OomKillCounter.Candidates(elsewhere, mounts));
    }

    [Fact]
    public void ReadsTheOomKillCount()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["low 0", "high 0", "max 4", "oom 2", "oom_kill 2", "oom_group_kill 0"]);
            Assert.Equal(2, new OomKillCounter(file).Read());
            Assert.Null(new OomKillCounter(file + ".missing").Read());
            Assert.Null(new OomKillCounter(null).Read());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void ThisMachinesCounterIsReadable()
    {
        // cgroup v2 (memory.events) or v1 (memory.oom_control), whichever this machine mounts.
        Skip.IfNot(OperatingSystem.IsLinux(), "cgroups are Linux's");
        var counter = OomKillCounter.ForProcess(Environment.ProcessId);
        Skip.If(counter.File is null, "no memory cgroup is mounted here");
        Assert.NotNull(counter.Read());
    }
}
