using System.Diagnostics;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Reliability under crashes, after sidekiq-reliable-fetch's reliability test: real worker processes killed
/// with SIGKILL mid-trial, again and again, against the real embedded store.
/// </summary>
// Slow: kill -9 of workers and the store while trials train.
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
    public async Task WorkersKilledMidTrialLoseNothingAndRecordNoEpochTwice()
    {
        var store = new SweepStore(Redis, new StoreOptions { MaxAttempts = 10 }, TimeProvider.System);
        var submitted = await store.SubmitAsync(SyntheticSweeps.Plan("chaos", trials: 6, epochs: 3), traceParent: null);
        using var fleet = new WorkerFleet(_store.ConnectionString, _workDirectory, maxAttempts: 10);
        fleet.StartOne();
        fleet.StartOne();

        var kills = 0;
        var random = new Random(1234);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var trials = await store.GetTrialsAsync(submitted.SweepId);
            if (trials.All(t => t.Status == TrialStatus.Completed))
            {
                break;
            }

            Assert.True(clock.Elapsed < Timeout, Describe(trials, fleet));
            Assert.DoesNotContain(trials, t => t.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.Cancelled);

            // Kill a worker that is mid-trial (after its first epoch, so a checkpoint exists to resume from).
            var victim = trials.FirstOrDefault(t => t.Status == TrialStatus.Running && t.LastEpoch >= 1 && random.Next(3) == 0);
            if (kills < 5 && victim is not null && fleet.FindByOwner(victim.Owner) is { } process)
            {
                output.WriteLine($"{clock.Elapsed:mm\\:ss} kill -9 worker {process.Id} holding {victim.Id} after epoch {victim.LastEpoch}");
                process.KillHard();
                kills++;
                fleet.StartOne();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(kills >= 3, $"Only {kills} workers were killed mid-trial; the test proved too little.");
        foreach (var trial in await store.GetTrialsAsync(submitted.SweepId))
        {
            var epochs = await store.GetEpochsAsync(trial.Id);
            Assert.Equal([1, 2, 3], epochs.Select(e => e.Epoch));
            Assert.Single(trial.Attempts, a => a.Outcome == "Completed");
            Assert.NotEmpty(trial.Evaluations);
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
