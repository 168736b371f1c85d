using Experiments.Core.Specs;
using Experiments.Worker.Training.Optimization;

namespace Experiments.Worker.Tests.Optimization;

public sealed class LearningRateScheduleTests
{
    private static LearningRateSchedule Schedule(Scheduler kind, int warmup = 0) =>
        new(kind, BaseLr: 0.1, StepsPerEpoch: 10, Epochs: 10, WarmupEpochs: warmup, StepSize: 3, Gamma: 0.5);

    [Fact]
    public void StepScheduleDecaysEveryStepSizeEpochs()
    {
        var s = Schedule(Scheduler.Step);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(0.1, s.At(29), 12);
        Assert.Equal(0.05, s.At(30), 12);
        Assert.Equal(0.025, s.At(60), 12);
    }

    [Fact]
    public void CosineFallsFromBaseToZero()
    {
        var s = Schedule(Scheduler.Cosine);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(0.05, s.At(50), 12);
        Assert.True(s.At(99) < 0.001);
    }

    [Fact]
    public void WarmupRampsLinearlyBeforeTheSchedule()
    {
        var s = Schedule(Scheduler.Cosine, warmup: 2);
        Assert.Equal(0.1 / 20, s.At(0), 12);
        Assert.Equal(0.1, s.At(19), 12);
        Assert.Equal(0.1, s.At(20), 12);
        Assert.True(s.At(60) < 0.1);
    }

    [Fact]
    public void OneCycleRisesToBaseThenAnnealsFarBelowTheStart()
    {
        var s = Schedule(Scheduler.OneCycle);
        Assert.Equal(0.1 / 25, s.At(0), 12);
        Assert.Equal(0.1, s.At(29), 12);
        Assert.True(s.At(99) < 0.1 / 25 / 1000);
        Assert.Equal(0.1, Enumerable.Range(0, 100).Max(i => s.At(i)), 12);
    }
}
