using Experiments.Worker.Hosting;
using Experiments.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>The hung-trainer watchdog's clock and the progress it hands the lease keeper, on a manual clock.</summary>
public sealed class TrainerWatchTests
{
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider time = new();

    private TrainerWatch Watch() => new(epochs: 3, reportInterval: Look, stallTimeout: TimeSpan.FromSeconds(30), time);

    private string? LookAfter(TrainerWatch watch, TimeSpan elapsed)
    {
        time.Advance(elapsed);
        return watch.Check(2 * Look);
    }

    [Fact]
    public void FiresOnceTheTrainerHasFinishedNoBatchForTheStallTimeout()
    {
        var watch = Watch();
        watch.BatchCompleted(new BatchProgress(2, 17, 40, 1.5, 17 * 8, 8.5));

        for (var i = 0; i < 5; i++)
            Assert.Null(LookAfter(watch, Look)); // first look sees the batch; then 20 s of quiet
        var reason = LookAfter(watch, Look);
        Assert.Null(reason);
        reason = LookAfter(watch, Look);

        Assert.Equal("stalled: the trainer finished no batch for 30 s (last finished: epoch 2, batch 17 of 40); stopped by the watchdog (Worker:StallTimeout)", reason);
    }

    [Fact]
    public void EachBatchOrOtherSignOfLifeStartsTheQuietTimeAgain()
    {
        var watch = Watch();
        watch.StillWorking();
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(LookAfter(watch, Look));
            if (i % 2 == 0)
                watch.BatchCompleted(new BatchProgress(1, i + 1, 40));
            else
                watch.StillWorking(); // an evaluation batch, a checkpoint written
        }
    }

    [Fact]
    public void IsNotArmedUntilTheTrainerFirstShowsLife()
    {
        // Loading (or downloading) a data set shows no batches: that is not a hang.
        var watch = Watch();
        for (var i = 0; i < 20; i++)
            Assert.Null(LookAfter(watch, Look));

        watch.StillWorking(); // the model is ready
        Assert.Null(LookAfter(watch, Look));
        for (var i = 0; i < 5; i++)
            Assert.Null(LookAfter(watch, Look));
        Assert.StartsWith("stalled: the trainer finished no batch for 30 s (none finished since the model was ready)", LookAfter(watch, Look));
    }

    [Fact]
    public void APausedProcessIsNotTakenForAHungTrainer()
    {
        var watch = Watch();
        watch.BatchCompleted(new BatchProgress(1, 1, 40));
        Assert.Null(LookAfter(watch, Look));

        // SIGSTOP for an hour, then SIGCONT: the watchdog saw one late look, counted as two intervals at most.
        Assert.Null(LookAfter(watch, TimeSpan.FromHours(1)));
        watch.BatchCompleted(new BatchProgress(1, 2, 40));
        Assert.Null(LookAfter(watch, Look));
    }

    [Fact]
    public void HandsOverEachBatchsProgressOnceWithItsPace()
    {
        var watch = Watch();
        Assert.Null(watch.TakeProgress());

        watch.BatchCompleted(new BatchProgress(2, 10, 40, 1.25, 80, 4));
        var first = watch.TakeProgress();
        Assert.Null(watch.TakeProgress());
        watch.BatchCompleted(new BatchProgress(2, 11, 40, 1.2, 88, 4.4));
        var second = watch.TakeProgress();

        Assert.Equal((2, 3, 10L, 40L, 1.25, 20.0), (first!.Epoch, first.Epochs, first.Batch, first.Batches, first.Loss, first.ImagesPerSecond));
        Assert.Equal(11, second!.Batch);
        Assert.Equal(0.4 * 29, second.EpochRemaining!.Value.TotalSeconds, 6);
    }
}
