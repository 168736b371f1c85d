using System.Diagnostics;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// A poison trial, after sidekiq-reliable-fetch's reliability test: real worker processes killed with SIGKILL each time
/// they run it, against the real embedded store. (Workers killed mid-trial among other faults: ChaosAtScaleTests.)
/// </summary>
// Slow: kill -9 of workers while trials train.
[Trait("Category", "Slow")]
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("experiments-chaos-").FullName;
    private readonly GarnetServerFixture _store = new();

    private IConnectionMultiplexer Redis => _store.Connection;

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task PoisonTrialThatKillsItsWorkerEveryTimeIsParkedAfterMaxInterruptions()
    {
        // A crash that takes the worker with it looks like a lost machine (until trials run in a supervised child
        // process): it is an interruption, and the interruption budget still ends a poison trial.
        const int maxInterruptions = 3;
        var store = new SweepStore(Redis, new StoreOptions { MaxAttempts = 3 }, TimeProvider.System);
        var submitted = await store.SubmitAsync(SyntheticSweeps.Plan("chaos", trials: 2, epochs: 2), traceParent: null);
        var poison = submitted.TrialIds[0];
        using var fleet = new WorkerFleet(_store.ConnectionString, _workDirectory, maxAttempts: 3, maxInterruptions);
        fleet.StartOne();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var trials = await store.GetTrialsAsync(submitted.SweepId);
            var poisoned = trials.Single(t => t.Id == poison);
            if (poisoned.Status == TrialStatus.Failed && trials.Single(t => t.Id != poison).Status == TrialStatus.Completed)
            {
                break;
            }

            Assert.True(clock.Elapsed < Timeout, Describe(trials, fleet));
            if (poisoned.Status == TrialStatus.Running && fleet.FindByOwner(poisoned.Owner) is { } process)
            {
                output.WriteLine($"{clock.Elapsed:mm\\:ss} poison kills worker {process.Id} (attempt {poisoned.Attempt})");
                process.KillHard();
                fleet.StartOne();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        var parked = await store.GetTrialAsync(poison);
        Assert.NotNull(parked);
        Assert.Equal(maxInterruptions, parked.Attempts.Count);
        Assert.Equal((0, maxInterruptions), (parked.Failures, parked.Interruptions));
        Assert.EndsWith($"interrupted {maxInterruptions} times", parked.Reason, StringComparison.Ordinal);
        Assert.All(parked.Attempts, a => Assert.False(string.IsNullOrEmpty(a.Reason), $"attempt {a.Attempt} has no reason"));
    }

    private static string Describe(IReadOnlyList<TrialRecord> trials, WorkerFleet fleet)
        => "Timed out. " + string.Join("; ", trials.Select(t => $"{t.Id} {t.Status} attempt {t.Attempt} epoch {t.LastEpoch} {t.Reason}"))
            + " | worker logs: " + string.Join(", ", fleet.Running.Select(w => w.LogPath));
}
