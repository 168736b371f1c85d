using Experiments.Core.Datasets;
using System.Diagnostics;
using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Data;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Training;

// Slow: hundreds of training steps.
[Trait("Category", "Slow")]
public sealed class MemoryTests
{
    [Fact]
    public void ResidentMemoryStaysFlatOverHundredsOfSteps()
    {
        var config = TrainerFixture.Tiny(epochs: 5) with { SyntheticSize = 320, BatchSize = 8, Augmentation = Core.Specs.Augmentation.CropFlip };
        var raw = SyntheticDataset.Create(config.SyntheticSize + 32, 32, config.Seed);
        using var data = DataSplits.Create(raw, 32, config.Seed, CPU);
        using var session = TrainingSession.Create(config, data, CPU);

        session.TrainEpoch(1, null, CancellationToken.None);
        session.Evaluate(data.Validation, CancellationToken.None);
        long baseline = ResidentBytes();
        for (int epoch = 2; epoch <= config.Epochs; epoch++)
        {
            session.TrainEpoch(epoch, null, CancellationToken.None);
            session.Evaluate(data.Validation, CancellationToken.None);
        }
        long growth = ResidentBytes() - baseline;
        Assert.True(session.Optimizer.Step >= 200, $"only {session.Optimizer.Step} steps");
        Assert.True(growth < 64L << 20, $"RSS grew {growth >> 20} MB over {session.Optimizer.Step} steps");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
