using System.Globalization;
using Experiments.Core.Specs;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>The small synthetic sweeps real worker processes train in these tests: one trial per seed, in seconds.</summary>
internal static class SyntheticSweeps
{
    /// <param name="checkpoint">Which checkpoints each trial keeps (the last only, unless a test needs its best too).</param>
    public static SweepPlan Plan(string name, int trials, int epochs, int syntheticSize = 48, KeptCheckpoints checkpoint = KeptCheckpoints.Last)
    {
        var config = new TrainingConfig
        {
            Dataset = Dataset.Synthetic,
            SyntheticSize = syntheticSize,
            ValidationSize = 8,
            Epochs = epochs,
            BatchSize = 16,
            Stem = ResNetStem.ImageNet,
            Checkpoint = checkpoint,
        };
        var planned = Enumerable.Range(0, trials)
            .Select(i => new PlannedTrial(config with { Seed = i }, new Dictionary<string, string> { ["seed"] = i.ToString(CultureInfo.InvariantCulture) }))
            .ToList();
        return new SweepPlan(name, "grid", new SweepMetric("val_accuracy", "maximize"), $"name: {name}", planned);
    }
}
