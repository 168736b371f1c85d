using Experiments.Core.EarlyTermination;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary>The files under <c>sweeps/</c> (copied next to the tests by the project file) parse with default limits.</summary>
public sealed class ExampleSweepFilesTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "sweeps");

    private static IEnumerable<string> FileNames => Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)).Order();

    public static TheoryData<string> Files => new(FileNames);

    private static SweepPlan Load(string file) => SpecAssert.Parses(File.ReadAllText(Path.Combine(Folder, file)));

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryExampleFileParsesWithDefaultLimits(string file)
    {
        Assert.NotEmpty(Load(file).Trials);
    }

    [Fact]
    public void TheExpectedExamplesAreThere()
    {
        Assert.Superset(
            new HashSet<string> { "seed-baseline.yaml", "variants.yaml", "smoke.yaml", "random-lr.yaml", "torchvision-baseline.yaml", "tpe-synthetic.yaml" },
            FileNames.ToHashSet());
    }

    [Fact]
    public void SeedBaselineIsTheNotebookAsOneTrial()
    {
        var trial = Assert.Single(Load("seed-baseline.yaml").Trials);

        Assert.Equal(
            new TrainingConfig
            {
                Dataset = Dataset.Cifar10, Epochs = 10, BatchSize = 128, Optimizer = Optimizer.Adam, Lr = 0.001, WeightDecay = 0,
                Scheduler = Scheduler.None, Augmentation = Augmentation.None, Stem = ResNetStem.ImageNet, Checkpoint = KeptCheckpoints.Last, Seed = 0, ValidationSize = 5000,
                Init = WeightInit.PyTorch,
            },
            trial.Config);
    }

    [Fact]
    public void TorchvisionBaselineIsTheNotebookRecipeFromImportedTorchvisionWeights()
    {
        var seed = Assert.Single(Load("seed-baseline.yaml").Trials).Config;
        var trial = Assert.Single(Load("torchvision-baseline.yaml").Trials);

        Assert.Equal("torchvision-resnet34", trial.Config.InitFrom);
        Assert.Equal(ResNetStem.ImageNet, trial.Config.Stem);
        Assert.Equal(seed with { InitFrom = "torchvision-resnet34", Init = WeightInit.Torchvision, Checkpoint = KeptCheckpoints.BestLast }, trial.Config);
    }

    [Fact]
    public void VariantsCrossSchedulerAugmentationAndCheckpoint()
    {
        var plan = Load("variants.yaml");

        Assert.Equal(12, plan.Trials.Count);
        Assert.All(plan.Trials, t => Assert.Equal(["scheduler", "augmentation", "checkpoint"], t.Parameters.Keys));
        Assert.All(plan.Trials, t => Assert.Equal(0.001, t.Config.Lr));
    }

    [Fact]
    public void SmokeIsTwoTinySyntheticTrials()
    {
        var plan = Load("smoke.yaml");

        Assert.Equal([0.001, 0.003], plan.Trials.Select(t => t.Config.Lr));
        Assert.All(plan.Trials, t => Assert.Equal((Dataset.Synthetic, 64, 2, 16, ResNetStem.Cifar), (t.Config.Dataset, t.Config.SyntheticSize, t.Config.Epochs, t.Config.BatchSize, t.Config.Stem)));
    }

    [Fact]
    public void RandomLrSamplesWithTwoSeeds()
    {
        var plan = Load("random-lr.yaml");

        Assert.Contains(plan.Method, new[] { "random", "sobol" });
        Assert.Equal([0, 1], plan.Trials.Select(t => t.Config.Seed).Distinct().Order());
        Assert.All(plan.Trials, t => Assert.Equal("seed", t.Parameters.Keys.Last()));
    }

    [Fact]
    public void TpeSyntheticIsASmallModelBasedSweep()
    {
        var plan = Load("tpe-synthetic.yaml");

        Assert.Equal(("tpe", new SearchBudget(8, 4, 2, 3)), (plan.Method, plan.Search));
        Assert.Equal(2, plan.Trials.Count);
        Assert.All(plan.Trials, t => Assert.Equal((Dataset.Synthetic, 48, 3), (t.Config.Dataset, t.Config.SyntheticSize, t.Config.Epochs)));
        // Model-based search and early termination together: ASHA's one rung at epoch 1 of 3.
        Assert.Equal((EarlyTerminationType.Asha, 3), (plan.EarlyTermination!.Type, plan.EarlyTermination.MaxEpochs));
    }
}
