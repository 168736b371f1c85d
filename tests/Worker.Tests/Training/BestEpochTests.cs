using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Checkpointing;

namespace Experiments.Worker.Tests.Training;

/// <summary><c>best</c> is the epoch with the highest validation accuracy, not the last or the lowest loss.</summary>
public sealed class BestEpochTests : IDisposable
{
    private readonly TrainerFixture fixture = new();

    [Fact]
    public void BestIsTheEpochOfTheHighestValidationAccuracyAndTheEarlierOnATie()
    {
        var progress = new TrainingProgress();
        bool[] improved = [.. new[] { 0.50, 0.71, 0.64, 0.71, 0.69 }.Select((accuracy, i) => progress.Record(i + 1, accuracy))];

        Assert.Equal([true, true, false, false, false], improved);
        Assert.Equal(2, progress.BestEpoch);
        Assert.Equal(0.71, progress.BestValAccuracy);
        Assert.Equal(5, progress.Epoch);
    }

    [Fact]
    public void ResumedProgressKeepsItsBest()
    {
        var progress = new TrainingProgress(epoch: 4, bestValAccuracy: 0.8, bestEpoch: 2);

        Assert.False(progress.Record(5, 0.79));
        Assert.True(progress.Record(6, 0.81));
        Assert.Equal(6, progress.BestEpoch);
    }

    [Trait("Category", "Slow")] // trains whole epochs
    [Fact]
    public async Task TheBestCheckpointAndItsReportAreTheEpochOfTheHighestValidationAccuracy()
    {
        var observer = new RecordingObserver();
        var config = TrainerFixture.Tiny(epochs: 4) with { Checkpoint = KeptCheckpoints.BestLast, Lr = 0.01 };
        var outcome = await fixture.NewTrainer().TrainAsync(new TrialRun("best", 1, config, "cpu"), observer, CancellationToken.None);
        Assert.Equal(OutcomeKind.Completed, outcome.Kind);

        var accuracies = observer.Epochs.Select(e => e.ValAccuracy).ToList();
        int expected = accuracies.IndexOf(accuracies.Max()) + 1;
        Assert.Equal(expected, outcome.Evaluations.Single(e => e.Checkpoint == "best").Epoch);
        Assert.Equal(4, outcome.Evaluations.Single(e => e.Checkpoint == "last").Epoch);
        using var stream = fixture.Store.OpenRead("best", CheckpointPolicy.Best);
        using var checkpoint = TrainingCheckpoint.Read(stream);
        Assert.Equal(expected, checkpoint.Header.Epoch);
        Assert.Equal(accuracies.Max(), checkpoint.Header.BestValAccuracy);
    }

    public void Dispose() => fixture.Dispose();
}
