using System.Globalization;
using Experiments.Core.Specs;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>The small synthetic sweeps real worker processes train in these tests: one trial per seed, in seconds.</summary>
internal static class SyntheticSweeps
{
    public static SweepPlan Plan(string name, int trials, int epochs, int syntheticSize = 48)
    {
        var config = new TrainingConfig
        {
            Dataset = Dataset.Synthetic,
            SyntheticSize = syntheticSize,
            ValidationSize = 8,
            Epochs = epochs,
            BatchSize = 16,
            Stem = ResNetStem.ImageNet,
            Checkpoint = KeptCheckpoints.Last,
        };
        var planned = Enumerable.Range(0, trials)
            .Select(i => new PlannedTrial(config with { Seed = i }, new Dictionary<string, string> { ["seed"] = i.ToString(CultureInfo.InvariantCulture) }))
            .ToList();
        return new SweepPlan(name, "grid", new SweepMetric("val_accuracy", "maximize"), $"name: {name}", planned);
    }
}
