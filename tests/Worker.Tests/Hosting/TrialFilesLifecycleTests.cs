using Experiments.Core.Checkpoints;
using Experiments.Core.Files;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Worker.Tests.Training;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>What a real worker leaves on disk: per checkpoint policy and outcome, after a deletion, after a crash.</summary>
[Trait("Category", "Slow")]
public sealed class TrialFilesLifecycleTests(GarnetServerFixture server) : IClassFixture<GarnetServerFixture>, IDisposable
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(2);
    private readonly string root = Directory.CreateTempSubdirectory("worker-files-").FullName;

    private string Checkpoints => Path.Combine(root, "checkpoints");

    [SkippableFact]
    public async Task CompletedTrialsKeepExactlyWhatTheirPolicyNames()
    {
        await using var worker = await StartWorkerAsync();
        var sweep = await worker.SubmitAsync(
            TrainerFixture.Tiny() with { Checkpoint = KeptCheckpoints.Last },
            TrainerFixture.Tiny() with { Checkpoint = KeptCheckpoints.Best },
            TrainerFixture.Tiny() with { Checkpoint = KeptCheckpoints.BestLast });

        foreach (var trialId in sweep.TrialIds)
        {
            var trial = await WorkerHostHarness.EventuallyAsync(
                () => worker.Store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), TrainingTimeout, "completion");
            Assert.Equal(TrialStatus.Completed, trial!.Status);
        }

        Assert.Equal([["last"], ["best"], ["best", "last"]], await Task.WhenAll(sweep.TrialIds.Select(id => KeptAsync(worker, id))));
        foreach (var trialId in sweep.TrialIds)
        {
            // Nothing but the committed files stays: no earlier epoch's, no other attempt's.
            var committed = (await worker.Store.GetTrialAsync(trialId))!.Checkpoints;
            Assert.All(Files(trialId), f => Assert.True(f == committed.Last || f == committed.Best, $"{trialId} kept {f}, which its record does not commit"));
        }
    }

    [SkippableFact]
    public async Task CancelledTrialKeepsItsResumePointAndItsBest()
    {
        await using var worker = await StartWorkerAsync();
        var sweep = await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 200) with { Checkpoint = KeptCheckpoints.Best });
        var trialId = sweep.TrialIds[0];
        await WorkerHostHarness.EventuallyAsync(() => worker.Store.GetTrialAsync(trialId), t => t?.LastEpoch >= 1, TrainingTimeout, "a first epoch");

        Assert.True(await worker.Store.CancelTrialAsync(trialId));

        var cancelled = await WorkerHostHarness.EventuallyAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Status == TrialStatus.Cancelled, TrainingTimeout, "the cancel");
        Assert.True(cancelled!.LastEpoch < 200);
        Assert.Equal(["best", "last"], await KeptAsync(worker, trialId));
    }

    [SkippableFact]
    public async Task DeletingTheSweepOfARunningTrialStopsItsWorkerWhichRemovesItsCheckpoints()
    {
        await using var worker = await StartWorkerAsync();
        var doomed = await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 200) with { Checkpoint = KeptCheckpoints.BestLast });
        var trialId = doomed.TrialIds[0];
        await WorkerHostHarness.EventuallyAsync(() => worker.Store.GetTrialAsync(trialId), t => t?.LastEpoch >= 1, TrainingTimeout, "a first epoch");
        Assert.NotEmpty(Files(trialId));

        Assert.NotNull(await worker.Store.DeleteSweepAsync(doomed.SweepId));

        // The Dashboard may not see this disk: the worker itself stops and removes the folder.
        await WorkerHostHarness.EventuallyAsync(
            () => Task.FromResult(Directory.Exists(Path.Combine(Checkpoints, trialId))), exists => !exists, TrainingTimeout, "the folder's removal");
        await WorkerHostHarness.EventuallyAsync(
            () => Task.FromResult(worker.Sum("experiments.trials.finished", "outcome=deleted")), n => n == 1, TrainingTimeout, "the deleted outcome");
        Assert.Contains(worker.Logs, l => l == $"Information: The sweep of trial {trialId} was deleted; stopped without writing and removed its checkpoints");
        Assert.Null(await worker.Store.GetTrialAsync(trialId));

        // The worker is free for the next sweep, and the stopped one writes nothing more.
        var next = await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 1));
        var done = await WorkerHostHarness.EventuallyAsync(
            () => worker.Store.GetTrialAsync(next.TrialIds[0]), t => t?.Status == TrialStatus.Completed, TrainingTimeout, "the next sweep");
        Assert.NotNull(done);
        Assert.False(Directory.Exists(Path.Combine(Checkpoints, trialId)));
    }

    [SkippableFact]
    public async Task OnStartAWorkerRemovesDeadWritersScratchAndDeletedSweepsFoldersOnly()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var store = new CheckpointStore(Checkpoints);
        var data = Directory.CreateDirectory(Path.Combine(root, "checkpoints-data", "cifar10")).FullName;
        // Scratch of a writer on this machine that is gone (kill -9 mid-write), and of one on another machine that is
        // writing right now; a checkpoint of a live sweep and one of a deleted sweep.
        var deadPid = await DeadProcessIdAsync();
        var deadScratch = Write(Path.Combine(Checkpoints, "sw-live0000000-0000", $".last.ckpt.{ScratchName.Host}.{deadPid}.0123456789ab.tmp"));
        var deadDownload = Write(Path.Combine(data, $".cifar-10-binary.tar.gz.{ScratchName.Host}.{deadPid}.0123456789ab.partial"));
        var liveScratch = Write(Path.Combine(Checkpoints, "sw-live0000000-0000", ".last.ckpt.other-host.4242.0123456789ab.tmp"));

        // Set up before the worker starts (a plain store client under the worker's key prefix).
        var keyPrefix = $"w-{Guid.NewGuid():N}:";
        await using var connection = await server.ConnectAsync();
        var setup = new SweepStore(connection, new StoreOptions { KeyPrefix = keyPrefix }, TimeProvider.System);
        var live = await setup.SubmitAsync(OneTrial(), null);
        var deleted = await setup.SubmitAsync(OneTrial(), null);
        await setup.CancelTrialAsync(live.TrialIds[0]);
        await setup.DeleteSweepAsync(deleted.SweepId);
        store.Write(live.TrialIds[0], "last", s => s.WriteByte(1));
        store.Write(deleted.TrialIds[0], "last", s => s.WriteByte(1));

        await using var worker = await StartWorkerAsync(keyPrefix);

        await WorkerHostHarness.EventuallyAsync(
            () => Task.FromResult(store.TrialIds()), ids => !ids.Contains(deleted.TrialIds[0]), Eventually.DefaultTimeout, "the deleted sweep's folder removal");
        Assert.Contains(live.TrialIds[0], store.TrialIds());
        Assert.False(File.Exists(deadScratch));
        Assert.False(File.Exists(deadDownload));
        Assert.True(File.Exists(liveScratch));
        Assert.Contains(worker.Logs, l => l == $"Information: Removed 1 stray scratch file(s) under {Checkpoints}");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private async Task<WorkerHostHarness> StartWorkerAsync(string? keyPrefix = null)
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        Dictionary<string, string?> settings = new() { ["Worker:CheckpointSpaceMargin"] = "0" };
        if (keyPrefix is not null)
            settings["Store:KeyPrefix"] = keyPrefix;
        return await WorkerHostHarness.StartAsync(server, Checkpoints, settings);
    }

    private static SweepPlan OneTrial() => WorkerHostHarness.Plan(TrainerFixture.Tiny());

    private string[] Files(string trialId) => [.. new CheckpointStore(Checkpoints).List(trialId).Select(f => f.Name)];

    /// <summary>The logical checkpoints (best, last) the trial's record commits whose files are on disk: what the Dashboard offers.</summary>
    private async Task<string[]> KeptAsync(WorkerHostHarness worker, string trialId)
    {
        var record = (await worker.Store.GetTrialAsync(trialId))!;
        var files = Files(trialId);
        return [.. TrialCheckpoints.Offered(record).Where(c => files.Contains(c.File)).Select(c => c.Name)];
    }

    private static string Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}
