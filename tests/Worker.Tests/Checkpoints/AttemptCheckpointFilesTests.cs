using Experiments.Core.Checkpoints;
using Experiments.Core.Specs;
using Experiments.Worker.Tests.Training;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Checkpointing;

namespace Experiments.Worker.Tests.Checkpoints;

/// <summary>
/// Which checkpoint files an attempt reads, commits and removes: a zombie attempt (paused past its lease, then awake)
/// never changes what the current attempt reads, and its files are removed.
/// </summary>
public sealed class AttemptCheckpointFilesTests : IDisposable
{
    private const string Trial = "sw-files0000000-0000";
    private static readonly CheckpointPolicy BestAndLast = CheckpointPolicy.For(KeptCheckpoints.BestLast);
    private readonly string root = Path.Combine(Path.GetTempPath(), "attempt-files-" + Guid.NewGuid().ToString("N"));
    private readonly CheckpointStore store;

    public AttemptCheckpointFilesTests() => store = new CheckpointStore(root);

    [Fact]
    public void AQueuedAttemptWritesFilesOfItsOwnPerEpochAndResumesOnlyFromTheCommittedOnes()
    {
        Write("e1-a1", "e2-a1");
        // Attempt 1 wrote epoch 2 but was lost before its report: the record commits epoch 1.
        var files = Files(attempt: 2, new TrialCheckpoints("e1-a1", "e1-a1"));

        Assert.Equal("e1-a1", files.Last);
        Assert.Equal("e1-a1", files.Best);
        Assert.Equal("e3-a2", files.LastFor(3));
        Assert.Equal("e3-a2", files.BestFor(3));
    }

    [Fact]
    public void ALocalRunKeepsTheFixedFiles()
    {
        var files = new AttemptCheckpointFiles(store, new TrialRun(Trial, 1, TrainerFixture.Tiny(), "cpu"), BestAndLast);

        Assert.Null(files.Last);
        Assert.Equal(("last", "best"), (files.LastFor(4), files.BestFor(4)));
        Write("last", "best");
        Assert.Empty(files.Commit(4, TrialCheckpoints.Fixed));
        Assert.Equal(["best", "last"], Names());
    }

    [Fact]
    public void ACommitRemovesOlderAttemptsAndItsOwnSupersededFilesButKeepsWhatItNames()
    {
        Write("e1-a1", "e2-a1", "e3-a1", "e2-a2", "e3-a2", "e4-a3");
        var files = Files(attempt: 2, new TrialCheckpoints("e1-a1", "e1-a1"));

        var removed = files.Commit(3, new TrialCheckpoints("e3-a2", "e1-a1"));

        Assert.Equal(["e2-a1", "e2-a2", "e3-a1"], removed.Order(StringComparer.Ordinal));
        // A newer attempt's file (here e4-a3: this attempt is the zombie) is never touched.
        Assert.Equal(["e1-a1", "e3-a2", "e4-a3"], Names());
    }

    [Fact]
    public void AZombiesLateCommitCleanupLeavesEverythingTheNewAttemptCommittedOrReads()
    {
        // Attempt 1 committed epoch 2 and was paused before removing what that superseded; attempt 2 claimed the trial
        // from that commit and has since committed epoch 4 (best still attempt 1's epoch 2).
        Write("e1-a1", "e2-a1", "e3-a2", "e4-a2");
        var zombie = Files(attempt: 1, new TrialCheckpoints("e1-a1", "e1-a1"));

        zombie.Commit(2, new TrialCheckpoints("e2-a1", "e2-a1"));

        Assert.Equal(["e2-a1", "e3-a2", "e4-a2"], Names());
    }

    [Fact]
    public void AnAttemptThatLostItsLeaseRemovesOnlyItsOwnFilesNoCommitNames()
    {
        // Attempt 1 committed epoch 1, wrote epoch 2 (refused); attempt 2 resumed from epoch 1 and committed epoch 2.
        Write("e1-a1", "e2-a1", "e2-a2", "last");

        var removed = AttemptCheckpointFiles.RemoveUncommitted(store, Trial, attempt: 1, new TrialCheckpoints("e2-a2", "e1-a1"));

        // Its committed best stays (the new attempt still names it); another attempt's files and fixed names are not its own.
        Assert.Equal(["e2-a1"], removed);
        Assert.Equal(["e1-a1", "e2-a2", "last"], Names());
    }

    [Fact]
    public void CompletionKeepsOnlyTheCommittedFilesItsPolicyNames()
    {
        Write("e1-a1", "e3-a2", "e4-a2", "e5-a1", "last");

        var removed = CheckpointRetention.AfterCompletion(store, Trial, CheckpointPolicy.For(KeptCheckpoints.Best), new TrialCheckpoints("e4-a2", "e3-a2"));

        Assert.Equal(["e3-a2"], Names());
        Assert.Equal(4, removed.Count);
    }

    [Theory]
    [InlineData("e7-a3", 3, 7)]
    [InlineData("e12-a10", 10, 12)]
    public void PerAttemptNamesCarryTheirAttemptAndEpoch(string name, int attempt, int epoch)
    {
        Assert.Equal(name, TrialCheckpoints.ForEpoch(attempt, epoch));
        Assert.True(TrialCheckpoints.TryParse(name, out var a, out var e));
        Assert.Equal((attempt, epoch), (a, e));
        Assert.True(CheckpointId.IsValid(name));
    }

    [Theory]
    [InlineData("last")]
    [InlineData("best")]
    [InlineData("e-a1")]
    [InlineData("e1-a")]
    [InlineData("e0-a1")]
    [InlineData("e1-a1-x")]
    public void OtherNamesAreNotPerAttemptFiles(string name) => Assert.False(TrialCheckpoints.TryParse(name, out _, out _));

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }

    private AttemptCheckpointFiles Files(int attempt, TrialCheckpoints committed) =>
        new(store, new TrialRun(Trial, attempt, TrainerFixture.Tiny(), "cpu") { Committed = committed, PerAttemptFiles = true }, BestAndLast);

    private void Write(params string[] names)
    {
        foreach (var name in names)
            store.Write(Trial, name, s => s.WriteByte(1));
    }

    private string[] Names() => [.. store.List(Trial).Select(f => f.Name)];
}
