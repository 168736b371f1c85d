using Experiments.Core.Datasets;
using Experiments.Core.Checkpoints;
using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Tests.Training;

/// <summary>A temp checkpoint root and real trainers over it.</summary>
internal sealed class TrainerFixture : IDisposable
{
    public TrainerFixture() => Store = new CheckpointStore(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "trainer-" + Guid.NewGuid().ToString("N"));
    public CheckpointStore Store { get; }

    /// <summary>A config that trains in about a second on two cores.</summary>
    public static TrainingConfig Tiny(int epochs = 2) => new()
    {
        Dataset = Dataset.Synthetic,
        SyntheticSize = 32,
        BatchSize = 8,
        Epochs = epochs,
        Stem = ResNetStem.ImageNet,
        Checkpoint = KeptCheckpoints.Last,
        Seed = 3,
    };

    public TrialTrainer NewTrainer() => new(
        Store,
        Options.Create(new TrainingOptions()),
        Options.Create(new DataOptions()),
        NullLogger<TrialTrainer>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
