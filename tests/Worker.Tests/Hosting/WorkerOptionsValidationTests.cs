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
}
