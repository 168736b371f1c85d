using Experiments.AppHost.Supervision;

namespace Experiments.EndToEnd.Tests.Supervision;

/// <summary>The restart schedule, the exit-code reading and the settings check of the crash-restart supervisor.</summary>
public sealed class RestartBackoffTests
{
    private static readonly CrashRestartOptions Defaults = new();

    [Fact]
    public void RestartsInARowDoubleTheWaitUpToTheCap()
    {
        var backoff = new RestartBackoff(Defaults);

        var delays = Enumerable.Range(0, 9).Select(_ => backoff.NextDelay(TimeSpan.FromSeconds(3)).TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
        Assert.Equal(9, backoff.ConsecutiveRestarts);
    }

    [Fact]
    public void ACrashAfterAStableRunWaitsOnlyTheFirstBackoffAgain()
    {
        var backoff = new RestartBackoff(Defaults);
        backoff.NextDelay(null);
        backoff.NextDelay(TimeSpan.FromSeconds(1));
        backoff.NextDelay(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay(Defaults.StableAfter));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay(null));
    }

    [Fact]
    public void ManyRestartsNeverOverflowTheCap()
    {
        var backoff = new RestartBackoff(Defaults);

        var last = TimeSpan.Zero;
        for (var restart = 0; restart < 200; restart++)
        {
            last = backoff.NextDelay(null);
        }

        Assert.Equal(Defaults.MaxBackoff, last);
    }

    [Theory]
    [InlineData(137, "SIGKILL")]
    [InlineData(139, "SIGSEGV")]
    [InlineData(134, "SIGABRT")]
    [InlineData(143, "SIGTERM")]
    [InlineData(-9, "SIGKILL")]
    [InlineData(-11, "SIGSEGV")]
    public void ExitCodesThatReportASignalNameIt(int exitCode, string signal)
    {
        Assert.Equal(signal, ExitStatus.SignalName(exitCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(128)]
    [InlineData(255)]
    public void OtherExitCodesNameNoSignal(int exitCode)
    {
        Assert.Null(ExitStatus.SignalName(exitCode));
    }

    [Fact]
    public void SettingsThatWouldSpinOrNeverRestartAreRefusedNamingTheKey()
    {
        var result = new ValidateCrashRestartOptions().Validate(null, new CrashRestartOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(10),
            MaxBackoff = TimeSpan.FromMilliseconds(5),
            StableAfter = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Supervision:InitialBackoff must be at least", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Supervision:MaxBackoff must be at least Supervision:InitialBackoff", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Supervision:StableAfter must be at least", StringComparison.Ordinal));
        Assert.True(new ValidateCrashRestartOptions().Validate(null, new CrashRestartOptions()).Succeeded);
    }
}
