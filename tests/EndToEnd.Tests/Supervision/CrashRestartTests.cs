using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests.Supervision;

/// <summary>
/// Through the real AppHost: a worker or the embedded store killed with SIGKILL (a real signal to the real process)
/// comes back by itself as a new process, and the queue carries on; one a person stops stays stopped.
/// </summary>
// Slow: starts the whole AppHost, kills and restarts its processes, trains a tiny trial per test.
[Trait("Category", "Slow")]
public sealed class CrashRestartTests(SupervisedAppHostFixture fixture) : IClassFixture<SupervisedAppHostFixture>
{
    private const string Worker = "worker";
    private const string Store = "store-garnet";

    // Generous ceiling for a restart: the first backoff is 1 s; the rest is `dotnet run` starting a process on a
    // busy two-core machine.
    private static readonly TimeSpan RestartCeiling = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task KilledWorkerIsRestartedAsANewProcessAndTheSweepItLeftCompletes()
    {
        using var client = fixture.CreateDashboardClient();
        await SupervisedAppHostFixture.ApiAnswersAsync(client);
        var (workerId, launcherPid) = await RunningAsync(Worker);
        var workerPid = await ResourceProcesses.ServicePidAsync(launcherPid, "Experiments.Worker");
        var sweepId = await SupervisedAppHostFixture.SubmitTinySweepAsync(client);

        ResourceProcesses.Kill(workerPid);

        var (restartedId, restartedLauncher) = await RestartedAsync(Worker, launcherPid);
        Assert.Equal(workerId, restartedId);
        Assert.NotEqual(workerPid, await ResourceProcesses.ServicePidAsync(restartedLauncher, "Experiments.Worker"));
        // Whatever the kill interrupted (a queued or a running trial) is run by the restarted worker.
        await SupervisedAppHostFixture.WaitUntilCompletedAsync(client, sweepId);
    }

    [Fact]
    public async Task KilledStoreIsRestartedTheApiAnswersAgainAndAnAcknowledgedSweepCompletes()
    {
        using var client = fixture.CreateDashboardClient();
        await SupervisedAppHostFixture.ApiAnswersAsync(client);
        var (_, launcherPid) = await RunningAsync(Store);
        var storePid = await ResourceProcesses.ServicePidAsync(launcherPid, "Experiments.GarnetStore");
        var sweepId = await SupervisedAppHostFixture.SubmitTinySweepAsync(client);

        ResourceProcesses.Kill(storePid);

        var (_, restartedLauncher) = await RestartedAsync(Store, launcherPid);
        Assert.NotEqual(storePid, await ResourceProcesses.ServicePidAsync(restartedLauncher, "Experiments.GarnetStore"));
        await SupervisedAppHostFixture.ApiAnswersAsync(client);
        // The sweep was acknowledged before the kill: the store recovers it and the worker, which rode out the
        // outage, runs it to the end.
        await SupervisedAppHostFixture.WaitUntilCompletedAsync(client, sweepId);
    }

    [Fact]
    public async Task WorkerStoppedOnRequestStaysStoppedUntilStartedAgain()
    {
        var (workerId, _) = await RunningAsync(Worker);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        using var timeout = new CancellationTokenSource(RestartCeiling);

        var stopped = await commands.ExecuteCommandAsync(workerId, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stopped.Success, stopped.Message);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(
            Worker, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);

        // Ten times the first backoff: a supervisor that took the stop for a crash would have started it by now.
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(workerId, out var afterWait));
        Assert.Contains(afterWait.Snapshot.State?.Text, KnownResourceStates.TerminalStates);

        var started = await commands.ExecuteCommandAsync(workerId, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(started.Success, started.Message);
        await RunningAsync(Worker);
    }

    private async Task<(string ResourceId, int LauncherPid)> RunningAsync(string resourceName)
    {
        using var timeout = new CancellationTokenSource(RestartCeiling);
        return await ResourceProcesses.RunningAsync(fixture.App, resourceName, timeout.Token);
    }

    /// <summary>Waits until the resource runs again under a launcher other than the killed one's.</summary>
    private async Task<(string ResourceId, int LauncherPid)> RestartedAsync(string resourceName, int oldLauncherPid)
    {
        using var timeout = new CancellationTokenSource(RestartCeiling);
        try
        {
            while (true)
            {
                var running = await ResourceProcesses.RunningAsync(fixture.App, resourceName, timeout.Token);
                if (running.LauncherPid != oldLauncherPid)
                {
                    return running;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            fixture.App.ResourceNotifications.TryGetCurrentState(resourceName, out var last);
            throw new TimeoutException(
                $"{resourceName} was not running again as a new process within {RestartCeiling.TotalSeconds:0} s of its kill " +
                $"(last state {last?.Snapshot.State?.Text ?? "unknown"}, exit code {last?.Snapshot.ExitCode}).");
        }
    }
}
