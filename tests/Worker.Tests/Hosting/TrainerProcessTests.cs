using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Worker.Tests.Training;
using Xunit.Abstractions;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// A real worker whose attempts train in child processes (Worker:TrialProcess child, the default), against a real
/// store, with real signals sent to the real trainer process: a crash is that trial's failure with its signal, the
/// worker lives on, a stopped (hung) trainer is killed by the watchdog, and a killed worker leaves no trainer behind.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class TrainerProcessTests(GarnetServerFixture server, ITestOutputHelper output) : IClassFixture<GarnetServerFixture>, IDisposable
{
    /// <summary>
    /// Well above what a tiny trial's trainer has charged by its first batch (~450 MiB measured on cgroup v1), far below
    /// the machine's memory: the test's OOM crash passes it within a second.
    /// </summary>
    private const long TrainerMemoryLimit = 1L << 30;

    private readonly string root = Directory.CreateTempSubdirectory("worker-child-").FullName;

    [SkippableTheory]
    [InlineData("segfault", "trainer crashed: killed by signal 11 (SIGSEGV)")]
    [InlineData("abort", "trainer crashed: aborted (SIGABRT)")]
    public async Task ATrainerThatCrashesNativelyFailsItsAttemptWithTheSignalAndTheWorkerGoesOn(string crash, string reason)
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        Skip.IfNot(OperatingSystem.IsLinux(), "signals");
        // A real native fault inside a batch (kill -SEGV / -ABRT from outside do not end a .NET process: its runtime
        // handles them), as a bug in libtorch would crash it.
        await using var worker = await StartWorkerAsync(new() { ["Training:TestCrashInBatch"] = "2", ["Training:TestCrash"] = crash });
        var trialId = (await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 1))).TrialIds[0];
        var trainer = await TrainerOfAsync(worker, trialId, attempt: 1);

        await AssertFailedOnceThenCompletedAsync(worker, trialId, reason);
        Assert.False(IsRunning(trainer), $"trainer process {trainer} still runs");
        Assert.Contains(worker.Logs, l => l.StartsWith($"Error: Trial {trialId} attempt 1: the trainer process {trainer} ended without an outcome: {reason}.", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ATrainerKilledFromOutsideFailsItsAttemptAsKilledBySigkill()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        Skip.IfNot(OperatingSystem.IsLinux(), "signals to a process");
        await using var worker = await StartWorkerAsync();
        var trialId = (await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 1))).TrialIds[0];
        var trainer = await TrainerOfAsync(worker, trialId, attempt: 1);

        // Not sent by the worker, and no OOM kill in the cgroup meanwhile: a plain SIGKILL.
        Signal("KILL", trainer);

        await AssertFailedOnceThenCompletedAsync(worker, trialId, "trainer crashed: killed by SIGKILL");
    }

    [SkippableFact]
    public async Task ATrainerOverItsCgroupsMemoryLimitIsKilledByTheKernelAndItsAttemptFailsAsOutOfMemory()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        // A real cgroup with a real limit (Worker:TrainerCgroup puts each trainer in it), and memory really touched until
        // the kernel's OOM killer ends the trainer: its count rises in the trainer's cgroup, not in the worker's.
        using var cgroup = MemoryCgroup.Create(TrainerMemoryLimit);
        await using var worker = await StartWorkerAsync(new()
        {
            ["Worker:TrainerCgroup"] = cgroup.Path,
            ["Training:TestCrashInBatch"] = "1",
            ["Training:TestCrash"] = "oom",
            // One attempt: the crash's is all this test is about (a second would only train the tiny trial again).
            ["Store:MaxAttempts"] = "1",
        });
        var trialId = (await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 1))).TrialIds[0];
        var trainer = await TrainerOfAsync(worker, trialId, attempt: 1);

        var done = await Eventually.UntilAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), "the trial's end", TimeSpan.FromMinutes(3));
        var attempts = string.Join("; ", done!.Attempts.Select(a => $"{a.Outcome} {a.Reason}"));
        Assert.True(done.Status == TrialStatus.Failed, $"{done.Status}: {attempts}\n{string.Join("\n", worker.Logs)}");
        Assert.Equal(["Failed"], done.Attempts.Select(a => a.Outcome));
        Assert.Equal("trainer crashed: out of memory (killed by the kernel's OOM killer)", done.Attempts[0].Reason);
        Assert.Equal(1, cgroup.OomKills);
        Assert.False(IsRunning(trainer), $"trainer process {trainer} still runs");
    }

    private static async Task AssertFailedOnceThenCompletedAsync(WorkerHostHarness worker, string trialId, string reason)
    {
        var done = await Eventually.UntilAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), "the trial's end", TimeSpan.FromMinutes(5));
        var attempts = string.Join("; ", done!.Attempts.Select(a => $"{a.Outcome} {a.Reason}"));
        Assert.True(done.Status == TrialStatus.Completed, $"{done.Status}: {attempts}\n{string.Join("\n", worker.Logs)}");
        // The trial's own failure (counted against max_attempts), not an interruption; the same worker ran attempt 2.
        Assert.Equal((1, 0), (done.Failures, done.Interruptions));
        Assert.Equal(["Failed", "Completed"], done.Attempts.Select(a => a.Outcome));
        Assert.Equal(reason, done.Attempts[0].Reason);
        Assert.Equal(done.Attempts[0].Worker, done.Attempts[1].Worker);
    }

    [SkippableFact]
    public async Task AStoppedTrainerIsKilledByTheWatchdogAndItsAttemptCountsAsTheTrialsFailure()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        Skip.IfNot(OperatingSystem.IsLinux(), "signals to a process");
        // SIGSTOP freezes only the trainer: a genuine hang, while the worker (whose own pauses the watchdog forgives) runs on.
        // 45 s: far longer than any batch of this tiny trial, even on a loaded machine once the first batch is done.
        await using var worker = await StartWorkerAsync(new() { ["Worker:StallTimeout"] = "00:00:45" });
        var sweep = await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 2));
        var trialId = sweep.TrialIds[0];
        var trainer = await TrainerOfAsync(worker, trialId, attempt: 1);
        await Eventually.UntilAsync(() => worker.Store.GetTrialAsync(trialId), t => t?.Progress is not null, "the first batch's progress");
        Signal("STOP", trainer);

        var done = await Eventually.UntilAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), "the trial's end", TimeSpan.FromMinutes(4));
        var attempts = string.Join("; ", done!.Attempts.Select(a => $"{a.Outcome} {a.Reason}"));
        Assert.True(done.Status == TrialStatus.Completed, $"{done.Status}: {attempts}\n{string.Join("\n", worker.Logs)}");
        Assert.Equal((1, 0), (done.Failures, done.Interruptions));
        Assert.Equal(["Failed", "Completed"], done.Attempts.Select(a => a.Outcome));
        Assert.StartsWith("stalled: the trainer finished no batch for 45 s", done.Attempts[0].Reason);
        // Killed, not left behind: nothing of the hung attempt runs on (a stopped process is killed by SIGKILL too).
        Assert.False(IsRunning(trainer), $"trainer process {trainer} still exists");
        Assert.Contains(worker.Logs, l => l.StartsWith($"Warning: Trial {trialId} attempt 1: killed the trainer process {trainer}", StringComparison.Ordinal));
        Assert.Contains(worker.Logs, l => l.StartsWith($"Warning: The hung trainer of trial {trialId} attempt 1 was stopped", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs, l => l.Contains("was left behind", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AKilledWorkerLeavesNoTrainerBehind()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        Skip.IfNot(OperatingSystem.IsLinux(), "signals to a process");
        var keyPrefix = $"w-{Guid.NewGuid():N}:";
        using var process = StartWorkerProcess(keyPrefix);
        // Only submits and reads: no worker of this test process claims the trial.
        var store = new SweepStore(server.Connection, new StoreOptions { KeyPrefix = keyPrefix }, TimeProvider.System);
        var sweep = await store.SubmitAsync(WorkerHostHarness.Plan(TrainerFixture.Tiny(epochs: 50)), traceParent: null);
        var trainerId = await process.TrainerAsync(attempt: 1);
        await Eventually.UntilAsync(() => store.GetTrialAsync(sweep.TrialIds[0]), t => t?.Progress is not null, "the first batch's progress");

        Signal("KILL", process.Id);

        await Eventually.UntilAsync(() => Task.FromResult(!IsRunning(trainerId)), $"trainer process {trainerId} to end with its worker", TimeSpan.FromMinutes(1));
    }

    /// <summary>
    /// A real Worker process gets SIGTERM (a deploy, a preemption notice, Aspire's Restart) while its trial is still
    /// starting: claimed, its trainer process running, no batch yet. The trainer is held in its start for good
    /// (Training:TestHangInStart), as a slow data load or model build that does not hear the stop: the worker must still
    /// hand the trial back at once as an interruption, kill the trainer after its grace and exit well within the host's
    /// shutdown timeout; the same worker started again trains the trial to the end, each epoch recorded once.
    /// </summary>
    [SkippableFact]
    public async Task AGracefulStopWhileATrialStartsHandsItBackAtOnceAndLeavesNoTrainerBehind()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        Skip.IfNot(OperatingSystem.IsLinux(), "signals to a process");
        var keyPrefix = $"w-{Guid.NewGuid():N}:";
        // Five minutes: far past anything this test waits for, so only the stopping worker can have put the trial back.
        Dictionary<string, string> settings = new() { ["Training__TestHangInStart"] = "true", ["Store__LeaseDuration"] = "00:05:00" };
        var store = new SweepStore(server.Connection, new StoreOptions { KeyPrefix = keyPrefix }, TimeProvider.System);
        var trialId = (await store.SubmitAsync(WorkerHostHarness.Plan(TrainerFixture.Tiny(epochs: 2)), traceParent: null)).TrialIds[0];
        var test = Stopwatch.StartNew();
        TimeSpan stopTook;
        int trainerId;
        using (var stopping = StartWorkerProcess(keyPrefix, settings))
        {
            trainerId = await stopping.TrainerAsync(attempt: 1);
            // The trainer itself says where it is: data loaded, model not built, no batch.
            await Eventually.UntilAsync(
                () => Task.FromResult(stopping.Output.Any(l => l.Contains($"Trial {trialId} is held in its start", StringComparison.Ordinal))),
                "the trainer to hold in its start", TimeSpan.FromMinutes(5));
            var starting = await store.GetTrialAsync(trialId);
            Assert.True((TrialStatus.Running, 1, null) == (starting!.Status, starting.Attempt, starting.Progress), $"{starting.Status}, attempt {starting.Attempt}, {starting.Progress}");
            Assert.True(IsRunning(trainerId), $"trainer process {trainerId} is not running");

            output.WriteLine($"The trainer held in its start {test.Elapsed.TotalSeconds:F1} s into the test.");
            var stop = Stopwatch.StartNew();
            Signal("TERM", stopping.Id);
            await stopping.WaitForExitAsync(TimeSpan.FromMinutes(2));
            stopTook = stop.Elapsed;
            var log = string.Join("\n", stopping.Output);
            Assert.True(stopping.ExitCode == 0, $"exit code {stopping.ExitCode}\n{log}");
            // The host's own limit (HostOptions.ShutdownTimeout, 30 s by default): past it, it would give up on the stop.
            // What the stop needs is the trainer's grace (5 s) and one store write.
            Assert.True(stopTook < TimeSpan.FromSeconds(30), $"the worker took {stopTook} to stop\n{log}");
            Assert.False(IsRunning(trainerId), $"trainer process {trainerId} outlived its worker");
            Assert.Contains(stopping.Output, l => l.Contains($"Trial {trialId} attempt 1: killed the trainer process {trainerId}", StringComparison.Ordinal));
        }

        // Handed back by the stopping worker itself, long before its lease could lapse: an interruption, not a failure.
        var handedBack = await store.GetTrialAsync(trialId);
        Assert.Equal(TrialStatus.Queued, handedBack!.Status);
        Assert.Equal((0, 1), (handedBack.Failures, handedBack.Interruptions));
        var interrupted = Assert.Single(handedBack.Attempts);
        Assert.Equal(("Interrupted", "worker stopped during the attempt"), (interrupted.Outcome, interrupted.Reason));

        // Restarted as it was (the hold is only for a first attempt): the trial trains once more, to the end.
        using var restarted = StartWorkerProcess(keyPrefix, settings);
        var done = await Eventually.UntilAsync(
            () => store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), "the trial's end", TimeSpan.FromMinutes(10));
        var attempts = string.Join("; ", done!.Attempts.Select(a => $"{a.Outcome} {a.Reason}"));
        Assert.True(done.Status == TrialStatus.Completed, $"{done.Status}: {attempts}\n{string.Join("\n", restarted.Output)}");
        Assert.Equal(["Interrupted", "Completed"], done.Attempts.Select(a => a.Outcome));
        Assert.Equal((0, 1), (done.Failures, done.Interruptions));
        var epochs = await store.GetEpochsAsync(trialId);
        Assert.Equal([(1, 2), (2, 2)], epochs.Select(e => (e.Epoch, e.Attempt ?? 0)));
        output.WriteLine($"The worker exited {stopTook.TotalSeconds:F1} s after SIGTERM; the trial completed {test.Elapsed.TotalSeconds:F1} s into the test.");
    }

    /// <summary>A real Worker process (<c>dotnet exec Experiments.Worker.dll</c>) under a key prefix of its own.</summary>
    private WorkerProcess StartWorkerProcess(string keyPrefix, IReadOnlyDictionary<string, string>? settings = null)
    {
        var info = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Experiments.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings__store"] = server.ConnectionString,
            ["Store__KeyPrefix"] = keyPrefix,
            ["Checkpoints__Root"] = Path.Combine(root, "checkpoints"),
            ["Data__Root"] = Path.Combine(root, "data"),
            ["Data__AllowDownload"] = "false",
            ["Worker__CheckpointSpaceMargin"] = "0",
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            all[name] = value;
        }

        foreach (var (name, value) in all)
        {
            info.Environment[name] = value;
        }

        return new WorkerProcess(Process.Start(info)!);
    }

    /// <summary>A started Worker process and its output lines; killed when disposed if it still runs.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process process;

        public WorkerProcess(Process process)
        {
            this.process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Id => process.Id;

        public int ExitCode => process.ExitCode;

        public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

        /// <summary>The trainer process of an attempt, as the worker logs it when it starts one.</summary>
        public async Task<int> TrainerAsync(int attempt)
        {
            var trainer = await Eventually.UntilAsync(
                () => Task.FromResult(Output.Select(l => TrainsIn().Match(l)).FirstOrDefault(m => m.Success && m.Groups["attempt"].Value == attempt.ToString(CultureInfo.InvariantCulture))),
                m => m is not null, $"attempt {attempt}'s trainer process", TimeSpan.FromMinutes(5));
            return int.Parse(trainer!.Groups["pid"].Value, CultureInfo.InvariantCulture);
        }

        public async Task WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancel.Token);
            // The output's last lines arrive after the exit.
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    private Task<WorkerHostHarness> StartWorkerAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Worker:CheckpointSpaceMargin"] = "0",
            ["Worker:ProgressInterval"] = "00:00:00.250",
            // The default lease, not the harness's 3 s: these tests read how an attempt ended, which the worker records
            // only while it holds the lease. Renewals stop once the watchdog fires (and a loaded machine can starve a
            // renewal), so with 3 s the reaper sometimes took the trial back first (an interruption, not the stall).
            // Renewals still go every 0.25 s, with progress.
            ["Store:LeaseDuration"] = "00:00:30",
            // A second attempt must be allowed: the first is the crash's.
            ["Store:MaxAttempts"] = "3",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return WorkerHostHarness.StartAsync(server, Path.Combine(root, "checkpoints"), all);
    }

    /// <summary>The trainer process of an attempt, as its worker logs it when it starts one.</summary>
    private static async Task<int> TrainerOfAsync(WorkerHostHarness worker, string trialId, int attempt)
    {
        var prefix = $"Information: Trial {trialId} attempt {attempt} trains in process ";
        var line = await Eventually.UntilAsync(
            () => Task.FromResult(worker.Logs.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))), l => l is not null, $"attempt {attempt}'s trainer process");
        return int.Parse(line![prefix.Length..], CultureInfo.InvariantCulture);
    }

    private static void Signal(string signal, int processId)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Whether the process exists and is not a zombie (an orphan's zombie waits for whoever adopted it).</summary>
    private static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].First() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"attempt (?<attempt>\d+) trains in process (?<pid>\d+)")]
    private static partial Regex TrainsIn();

    public void Dispose() => Directory.Delete(root, recursive: true);
}
