using System.Diagnostics.Metrics;
using Experiments.Core;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Worker.Hosting;
using Experiments.Worker.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// How an attempt's end reaches the store, against a real Garnet (killed and restarted where the test says so). The
/// trainer here is scripted: what is under test is the worker's side of the queue, not training.
/// </summary>
public sealed class TrialExecutionTests : IAsyncLifetime
{
    private readonly GarnetServerFixture _store = new();
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("experiments-exec-").FullName;

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_checkpoints, recursive: true);
    }

    [Fact]
    public async Task AGracefulStopHandsTheTrialBackAtOnceWithoutSpendingAnAttempt()
    {
        var (queue, sweeps, options) = await QueueAsync(maxAttempts: 1);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var trainer = new ScriptedTrainer(async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return TrialOutcome.Completed([]);
        });
        var lease = (await queue.TryClaimAsync("worker-stopping"))!;
        using var stopping = new CancellationTokenSource();

        var run = Execution(queue, sweeps, trainer, options).RunAsync(lease, "cpu", stopping.Token);
        await started.Task;
        await stopping.CancelAsync(); // what SIGTERM (a deploy, a preemption notice) does to the host
        await run;

        // Queued again now, not after the lease runs out, and its one allowed failure is still unspent.
        var trial = (await sweeps.GetTrialAsync(lease.TrialId))!;
        Assert.Equal(TrialStatus.Queued, trial.Status);
        Assert.Equal((0, 1), (trial.Failures, trial.Interruptions));
        Assert.Equal("Interrupted", Assert.Single(trial.Attempts).Outcome);
        Assert.Equal(2, (await queue.TryClaimAsync("worker-next"))!.Attempt);
    }

    [Fact]
    public async Task AStopRightAfterTheClaimHandsTheTrialBackBeforeTheTrainerStarts()
    {
        var (queue, sweeps, options) = await QueueAsync(maxAttempts: 1);
        var trainerStarted = false;
        var trainer = new ScriptedTrainer(async (_, token) =>
        {
            trainerStarted = !token.IsCancellationRequested;
            await Task.Delay(Timeout.Infinite, token);
            return TrialOutcome.Completed([]);
        });
        var lease = (await queue.TryClaimAsync("worker-stopping"))!;
        using var stopping = new CancellationTokenSource();
        // The stop lands while the claim's reply is on its way: the attempt has not even read its sweep's settings yet.
        await stopping.CancelAsync();

        await Execution(queue, sweeps, trainer, options).RunAsync(lease, "cpu", stopping.Token);

        // Handed back now (its lease left to lapse, it would wait for the reaper and count as a lost worker).
        var trial = (await sweeps.GetTrialAsync(lease.TrialId))!;
        Assert.Equal(TrialStatus.Queued, trial.Status);
        Assert.Equal((0, 1), (trial.Failures, trial.Interruptions));
        Assert.Equal(("Interrupted", "worker stopped during the attempt"), (Assert.Single(trial.Attempts).Outcome, trial.Attempts[0].Reason));
        Assert.False(trainerStarted);
        Assert.Equal(2, (await queue.TryClaimAsync("worker-next"))!.Attempt);
    }

    [Fact]
    public async Task FinishIsRetriedThroughAStoreRestartAndLastGoesOnlyAfterItCommits()
    {
        var (queue, sweeps, options) = await QueueAsync(maxAttempts: 3);
        var checkpoints = new CheckpointStore(_checkpoints);
        var lastWhileStoreDown = false;
        Task? restart = null;
        var trainer = new ScriptedTrainer((run, _) =>
            {
                checkpoints.Write(run.TrialId, "last", s => s.Write([1, 2, 3]));
                // The store dies right as training ends, and is back (replaying its log) a moment later.
                _store.Kill();
                restart = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    lastWhileStoreDown = checkpoints.Exists(run.TrialId, "last");
                    await _store.RestartAsync();
                });
                return Task.FromResult(TrialOutcome.Completed([]));
            });
        var lease = (await queue.TryClaimAsync("worker-1"))!;

        await Execution(queue, sweeps, trainer, options).RunAsync(lease, "cpu", CancellationToken.None);
        await restart!;

        Assert.True(lastWhileStoreDown, "last was deleted before the outcome was committed");
        Assert.False(checkpoints.Exists(lease.TrialId, "last"), "last was kept after the outcome was committed");
        var trial = (await sweeps.GetTrialAsync(lease.TrialId))!;
        Assert.Equal(TrialStatus.Completed, trial.Status);
        Assert.Equal("Completed", Assert.Single(trial.Attempts).Outcome);
    }

    [Fact]
    public async Task AStoreStalledWhileAnEpochIsRecordedCostsAPauseNotTheAttempt()
    {
        var (queue, sweeps, options) = await QueueAsync(maxAttempts: 3);
        var trainer = new ScriptedTrainer(async (run, observer, token) =>
        {
            // The store stops answering (SIGSTOP) past the queue's 2 s command timeout just as the epoch is sent.
            _store.Pause();
            var resume = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                _store.Resume();
            });
            try
            {
                Assert.True(await observer.EpochCompletedAsync(new EpochMetrics(1, 1.0, 0.5, 1.0, 0.5, 0.001, 1, 100), new TrialCheckpoints("e1-a1", null), token));
            }
            finally
            {
                await resume;
            }

            return TrialOutcome.Completed([]);
        });
        var lease = (await queue.TryClaimAsync("worker-1"))!;

        await Execution(queue, sweeps, trainer, options).RunAsync(lease, "cpu", CancellationToken.None);

        // Before, the timed-out write ended the attempt as interrupted and the trial ran again.
        var trial = (await sweeps.GetTrialAsync(lease.TrialId))!;
        Assert.Equal(TrialStatus.Completed, trial.Status);
        Assert.Equal("Completed", Assert.Single(trial.Attempts).Outcome);
        Assert.Equal([1], (await sweeps.GetEpochsAsync(lease.TrialId)).Select(e => e.Epoch));
    }

    private async Task<(TrialQueue Queue, SweepStore Sweeps, StoreOptions Options)> QueueAsync(int maxAttempts)
    {
        var options = new StoreOptions { KeyPrefix = $"ex-{Guid.NewGuid():N}:", LeaseDuration = TimeSpan.FromSeconds(60), MaxAttempts = maxAttempts };
        StoreRegistration.UseDedicatedClientThreads();
        // The queue's commands time out fast, so a dead store is noticed in seconds (the retry, not the client, waits
        // it out); the test's own reads and writes keep the fixture's ceiling for a busy machine.
        var connection = await _store.ConnectAsync(timeoutMilliseconds: 2000);
        var sweeps = new SweepStore(_store.Connection, options, TimeProvider.System);
        await sweeps.SubmitAsync(OneTrial(), traceParent: null);
        return (new TrialQueue(connection, options, TimeProvider.System), sweeps, options);
    }

    private TrialExecution Execution(TrialQueue queue, SweepStore sweeps, ITrialTrainer trainer, StoreOptions options)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new TrialExecution(
            queue, sweeps, new CheckpointStore(_checkpoints), trainer, new WorkerMetrics(meters), options, Options.Create(new WorkerOptions()), TimeProvider.System,
            NullLogger<TrialExecution>.Instance);
    }

    private static SweepPlan OneTrial() => new(
        Name: "execution",
        Method: "grid",
        Metric: new SweepMetric("val_accuracy", "maximize"),
        SourceText: "name: execution\nmethod: grid\n",
        Trials: [new PlannedTrial(new TrainingConfig { Dataset = Dataset.Synthetic, Epochs = 1, Checkpoint = KeptCheckpoints.Best }, new Dictionary<string, string>())]);

    private sealed class ScriptedTrainer(Func<TrialRun, ITrainingObserver, CancellationToken, Task<TrialOutcome>> train) : ITrialTrainer
    {
        public ScriptedTrainer(Func<TrialRun, CancellationToken, Task<TrialOutcome>> train)
            : this((run, _, token) => train(run, token))
        {
        }

        public Task<TrialOutcome> TrainAsync(TrialRun run, ITrainingObserver observer, CancellationToken cancellationToken) => train(run, observer, cancellationToken);
    }
}
