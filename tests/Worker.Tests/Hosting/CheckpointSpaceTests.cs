using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;
using Experiments.Worker.Hosting;
using Experiments.Worker.Tests.Training;
using Experiments.Worker.Training.Checkpointing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>A worker does not start a trial its checkpoint volume has no room for; the free space is the volume's real one.</summary>
public sealed class CheckpointSpaceTests(GarnetServerFixture server) : IClassFixture<GarnetServerFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ckpt-space-").FullName;

    [Fact]
    public void FreeSpaceIsTheRealVolumesAsDfReportsIt()
    {
        var space = Space(root, margin: 0);

        var measured = space.FreeBytes();

        // Other processes write meanwhile: agree within 1 %.
        var df = DfAvailableBytes(root);
        Assert.InRange(measured, df * 0.99, df * 1.01);
    }

    [Fact]
    public void RefusesWhenTheVolumeCannotHoldTheCheckpointsAndTheMarginAndSaysBoth()
    {
        var config = TrainerFixture.Tiny() with { Optimizer = Optimizer.Adam, Checkpoint = KeptCheckpoints.Best };
        var free = Space(root, margin: 0).FreeBytes();

        Assert.Null(Space(root, margin: 0).Refusal("sw-a-0000", config));
        var refusal = Space(root, margin: free).Refusal("sw-a-0000", config);

        // best keeps best and last, plus the one being written: 3 x ~255 MB for ResNet-34 with Adam.
        Assert.NotNull(refusal);
        Assert.Matches(@"^waiting: checkpoint volume has [\d.]+ [kMGT]?B free, needs [\d.]+ [kMGT]?B \(3 x 25\d MB checkpoints, [\d.]+ [kMGT]?B kept free\)$", refusal);
    }

    [Fact]
    public void AResumedTrialNeedsRoomOnlyForWhatItHasNotWrittenYet()
    {
        var config = TrainerFixture.Tiny() with { Optimizer = Optimizer.Sgd, Checkpoint = KeptCheckpoints.Last };
        var perFile = CheckpointSizeEstimate.BytesPerFile(config);
        var store = new CheckpointStore(root);
        store.Write("sw-b-0000", "last", s => s.SetLength(perFile));
        var free = Space(root, margin: 0).FreeBytes();
        // Just enough for one more file, not for two.
        var margin = free - (perFile + (perFile / 2));

        Assert.Null(Space(root, margin).Refusal("sw-b-0000", config));
        Assert.Contains("(2 x 17", Space(root, margin).Refusal("sw-c-0000", config) ?? "no refusal", StringComparison.Ordinal);
        // Less than one file left: even the resumed trial waits, and says what it already has.
        Assert.Contains("less 17", Space(root, margin + perFile).Refusal("sw-b-0000", config) ?? "no refusal", StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task TrialWaitsQueuedWithTheReasonOnAFullVolumeAndStartsOnceThereIsRoom()
    {
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        using var volume = TmpfsVolume.TryMount("64m", out var whyNot);
        Skip.If(volume is null, whyNot);
        await using var worker = await WorkerHostHarness.StartAsync(server, volume.Path, new Dictionary<string, string?>
        {
            ["Worker:CheckpointSpaceMargin"] = "0",
        });
        var sweep = await worker.SubmitAsync(TrainerFixture.Tiny(epochs: 1) with { Optimizer = Optimizer.Sgd });
        var trialId = sweep.TrialIds[0];

        var waiting = await WorkerHostHarness.EventuallyAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Waiting is not null, Eventually.DefaultTimeout, "a waiting note");

        Assert.Equal(TrialStatus.Queued, waiting!.Status);
        Assert.Empty(waiting.Attempts);
        Assert.Matches(@"^waiting: checkpoint volume has 6\d\.\d MB free, needs 34\d MB \(2 x 17\d MB checkpoints, 0 B kept free\)$", waiting.Waiting);
        Assert.NotNull(waiting.WaitingSince);
        Assert.Contains(worker.Logs, l => l.StartsWith($"Warning: Not starting 1 queued trial(s), first {trialId}: waiting: checkpoint volume has", StringComparison.Ordinal));
        Assert.True(worker.Sum("experiments.trials.deferred", "reason=checkpoint_space") >= 1);
        // It keeps looking: several refusals, still queued.
        await WorkerHostHarness.EventuallyAsync(
            () => Task.FromResult(worker.Sum("experiments.trials.deferred")), n => n >= 3, Eventually.DefaultTimeout, "repeated checks");
        Assert.Equal(TrialStatus.Queued, (await worker.Store.GetTrialAsync(trialId))!.Status);

        volume.Resize("1g");

        var done = await WorkerHostHarness.EventuallyAsync(
            () => worker.Store.GetTrialAsync(trialId), t => t?.Status is TrialStatus.Completed or TrialStatus.Failed, TimeSpan.FromMinutes(2), "the trial to finish");
        Assert.Equal(TrialStatus.Completed, done!.Status);
        Assert.Null(done.Waiting);
        // The file the record commits as the trial's last (each attempt's files carry its own names).
        Assert.NotNull(done.Checkpoints.Last);
        Assert.True(File.Exists(Path.Combine(volume.Path, trialId, done.Checkpoints.Last + CheckpointStore.Extension)), $"{done.Checkpoints.Last} is missing");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static CheckpointSpace Space(string root, long margin) => new(
        new CheckpointStore(root),
        Options.Create(new WorkerOptions { CheckpointSpaceMargin = margin }),
        new WorkerMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()));

    private static long DfAvailableBytes(string path)
    {
        var start = new ProcessStartInfo("df", ["-B1", "--output=avail", path]) { RedirectStandardOutput = true };
        using var df = Process.Start(start)!;
        var lines = df.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        df.WaitForExit();
        return long.Parse(lines[^1].Trim(), CultureInfo.InvariantCulture);
    }
}
