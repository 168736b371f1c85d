using Experiments.Core.Records;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Worker.Tests.Training;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// A real worker host whose first attempt wedges inside a batch (Training:TestHangInBatch blocks the training thread
/// for good, as a stuck native call would), against a real store: the watchdog must end the attempt as the trial's
/// failure and the worker go on.
/// </summary>
[Trait("Category", "Slow")]
public sealed class HungTrainerTests(GarnetServerFixture server) : IClassFixture<GarnetServerFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("worker-hang-").FullName;

    [SkippableFact]
    public async Task AWedgedTrainerIsStoppedByTheWatchdogAndItsAttemptCountsAsTheTrialsFailure()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        await using var worker = await WorkerHostHarness.StartAsync(server, Path.Combine(root, "checkpoints"), new Dictionary<string, string?>
        {
            ["Worker:CheckpointSpaceMargin"] = "0",
            ["Training:TestHangInBatch"] = "2",
            // A wedged thread of the worker itself, which cannot be killed: left behind (TrainerProcessTests: a child is killed).
            ["Worker:TrialProcess"] = "in-process",
            // Short for a test, yet long for a batch: a cold process's first batch (libtorch setting up its kernels)
            // took more than 8 s here on a loaded machine. Progress is reported four times a second.
            ["Worker:StallTimeout"] = "00:01:00",
            ["Worker:ProgressInterval"] = "00:00:00.250",
            // The default lease, not the harness's 3 s: once the watchdog fires, renewals stop, and the stall is recorded
            // only if the worker finishes before the lease lapses; on a loaded machine the reaper sometimes came first.
            ["Store:LeaseDuration"] = "00:00:30",
        });
        var sweep = await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 1));
        var trialId = sweep.TrialIds[0];

        // While it hangs, the store shows where it stopped: the first batch done, reported with the lease renewals.
        var hanging = await Eventually.UntilAsync(() => worker.Store.GetTrialAsync(trialId), t => t?.Progress is { Batch: 1 }, "the first batch's progress");
        Assert.True((TrialStatus.Running, 1, 1) == (hanging!.Status, hanging.Attempt, hanging.Progress!.Epoch),
            $"attempt {hanging.Attempt}: {string.Join("; ", hanging.Attempts.Select(a => $"{a.Outcome} {a.Reason}"))}\n{string.Join("\n", worker.Logs)}");

        // The watchdog ends attempt 1 as the trial's own failure; attempt 2 (no hang) completes on the same worker.
        var done = await Eventually.UntilAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), "the trial's end");
        Assert.Equal(TrialStatus.Completed, done!.Status);
        Assert.Equal((1, 0), (done.Failures, done.Interruptions));
        Assert.Equal(["Failed", "Completed"], done.Attempts.Select(a => a.Outcome));
        Assert.StartsWith(
            $"stalled: the trainer finished no batch for 1 min (last finished: epoch 1, batch 1 of {hanging.Progress.Batches})",
            done.Attempts[0].Reason);
        Assert.Null(done.Progress);
        Assert.Contains(worker.Logs, l => l.StartsWith($"Error: Trial {trialId} attempt 1 stalled: ", StringComparison.Ordinal) && l.EndsWith("; no longer renewing its lease", StringComparison.Ordinal));
        Assert.Contains(worker.Logs, l => l.StartsWith($"Warning: The hung trainer of trial {trialId} attempt 1 was left behind", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
