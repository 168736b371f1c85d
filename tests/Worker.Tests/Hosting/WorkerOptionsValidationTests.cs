using Experiments.Worker.Hosting;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>The watchdog's and the progress reports' settings are checked when the worker starts.</summary>
public sealed class WorkerOptionsValidationTests
{
    private static IReadOnlyList<string> Failures(WorkerOptions options) =>
        new ValidateWorkerOptions().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void TheDefaultsAreValidAndGenerous()
    {
        var options = new WorkerOptions();

        Assert.Empty(Failures(options));
        Assert.Equal(TimeSpan.FromMinutes(10), options.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ProgressInterval);
    }

    [Fact]
    public void RefusesAStallTimeoutThatCouldFireBetweenTwoReports()
    {
        var failures = Failures(new WorkerOptions { ProgressInterval = TimeSpan.FromSeconds(5), StallTimeout = TimeSpan.FromSeconds(9) });

        Assert.Equal(["Worker:StallTimeout (00:00:09) must be at least twice Worker:ProgressInterval (00:00:05)."], failures);
    }

    [Fact]
    public void RefusesNonPositiveTimings()
    {
        var failures = Failures(new WorkerOptions { ProgressInterval = TimeSpan.Zero, StallTimeout = TimeSpan.FromSeconds(-1) });

        Assert.Equal(["Worker:ProgressInterval must be positive.", "Worker:StallTimeout must be positive."], failures);
    }

    [Fact]
    public void TrainsInAChildProcessByDefaultAndRefusesAnUnknownTrialProcessMode()
    {
        Assert.Equal("child", new WorkerOptions().TrialProcess);
        Assert.Empty(Failures(new WorkerOptions { TrialProcess = "in-process" }));

        var failures = Failures(new WorkerOptions { TrialProcess = "thread" });

        Assert.Equal(["Worker:TrialProcess must be child or in-process (was 'thread')."], failures);
    }

    [SkippableFact]
    public void ATrainerCgroupMustBeAnExistingCgroupAndNeedsChildTrainers()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "cgroups are Linux's");
        Assert.Null(new WorkerOptions().TrainerCgroup);
        var cgroup = Directory.CreateTempSubdirectory("cgroup-").FullName;
        try
        {
            var missing = Path.Combine(cgroup, "missing");
            Assert.Equal(
                [$"Worker:TrainerCgroup must be an existing cgroup directory, one with a cgroup.procs file (was '{missing}'): create it first (e.g. mkdir /sys/fs/cgroup/trainers, or /sys/fs/cgroup/memory/trainers on cgroup v1) and set its memory limit."],
                Failures(new WorkerOptions { TrainerCgroup = missing }));
            // A folder without cgroup.procs is not a cgroup.
            Assert.Single(Failures(new WorkerOptions { TrainerCgroup = cgroup }));

            File.WriteAllText(Path.Combine(cgroup, "cgroup.procs"), "");
            Assert.Empty(Failures(new WorkerOptions { TrainerCgroup = cgroup }));
            Assert.Equal(
                [$"Worker:TrainerCgroup needs Worker:TrialProcess child: an in-process trainer cannot be moved out of the worker (was '{cgroup}')."],
                Failures(new WorkerOptions { TrainerCgroup = cgroup, TrialProcess = "in-process" }));
        }
        finally
        {
            Directory.Delete(cgroup, recursive: true);
        }
    }
}
