using System.Globalization;
using System.Text;
using Experiments.Core.Datasets;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Tests.Shared;
using Experiments.Worker.Tests.Training;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Data;
using Experiments.Worker.Training.Model;
using Experiments.Worker.Training.Optimization;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Specs;

/// <summary>
/// Submit and the trainer agree: every config a submit accepts (the example sweeps, edge values at each bound,
/// seeded random combinations) is one the trainer can run; a config it could not run is refused at submit, at its
/// field's path.
/// </summary>
public sealed class SubmitAndTrainerAgreeTests : IDisposable
{
    private static readonly SweepLimits Defaults = new();
    private readonly TrainerFixture fixture = new();

    /// <summary>Values at and next to every bound of every setting (under the default limits), plus the ordinary ones.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Edges = new Dictionary<string, string[]>
    {
        ["dataset"] = [.. Spelling<Dataset>.Names],
        ["synthetic_size"] = ["16", "17", "512", Number(DatasetCatalog.MaxSyntheticSize)],
        ["validation_size"] = ["1", "5000", "49998"],
        ["epochs"] = ["1", "2", "10", Number(Defaults.MaxEpochs)],
        ["batch_size"] = ["2", "3", "128", Number(Defaults.MaxBatchSize)],
        ["optimizer"] = [.. Spelling<Optimizer>.Names],
        ["lr"] = ["1e-12", "0.001", "1000000"],
        ["weight_decay"] = ["0", "0.0005", "1000"],
        ["momentum"] = ["0", "0.9", "0.999999"],
        ["nesterov"] = ["true", "false"],
        ["label_smoothing"] = ["0", "0.1", "0.999999"],
        ["scheduler"] = [.. Spelling<Scheduler>.Names],
        ["step_size"] = ["1", "5", Number(Defaults.MaxEpochs)],
        ["gamma"] = ["1e-300", "0.1", "1"],
        ["warmup_epochs"] = ["0", "1", Number(Defaults.MaxEpochs - 1)],
        ["augmentation"] = [.. Spelling<Core.Specs.Augmentation>.Names],
        ["stem"] = [.. Spelling<ResNetStem>.Names],
        ["checkpoint"] = [.. Spelling<KeptCheckpoints>.Names],
        ["device"] = ["auto", "cpu", "cuda", "'cuda:0'", "'cuda:99'"],
        ["seed"] = ["0", "1", Number(int.MaxValue)],
        ["init_from"] = ["null", "w", "resnet34-imagenet_v1", new string('w', 128)],
    };

    public static TheoryData<string> ExampleSweeps => new(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "sweeps")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(ExampleSweeps))]
    public void EveryTrialOfAnExampleSweepIsOneTheTrainerCanRun(string file)
    {
        var plan = SweepSpecParser.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "sweeps", file)), Defaults);

        Assert.All(plan.Trials, trial => TrainerAccepts(trial.Config));
    }

    [Fact]
    public void EveryEdgeValueSubmitAcceptsIsOneTheTrainerCanRun()
    {
        foreach (var (field, values) in Edges)
        {
            foreach (var value in values)
            {
                var accepted = false;
                // Alone on the defaults, and with the partner a cross-field rule needs (epochs above a warmup, a data set a split fits).
                foreach (var text in new[] { Base((field, value)), Base((field, value), ("epochs", Number(Defaults.MaxEpochs)), ("dataset", "fashion_mnist")) })
                {
                    if (TryPlan(text, out var plan, out var errors))
                    {
                        Assert.All(plan.Trials, trial => TrainerAccepts(trial.Config));
                        accepted = true;
                    }
                    else
                    {
                        Assert.All(errors, e => Assert.StartsWith("base.", e.Path, StringComparison.Ordinal));
                    }
                }

                Assert.True(accepted, $"{field}: {value} is refused with the defaults and with its partners: not an edge of what runs");
            }
        }
    }

    [Fact]
    public void EveryRandomCombinationSubmitAcceptsIsOneTheTrainerCanRunAndEveryRefusalNamesAField()
    {
        var random = new Random(20261130);
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < 400; i++)
        {
            var settings = Edges.Where(_ => random.NextDouble() < 0.5).Select(e => (e.Key, e.Value[random.Next(e.Value.Length)])).ToArray();
            if (TryPlan(Base(settings), out var plan, out var errors))
            {
                TrainerAccepts(Assert.Single(plan.Trials).Config);
                accepted++;
            }
            else
            {
                Assert.All(errors, e => Assert.Matches(@"^base\.[a-z_]+$", e.Path));
                refused++;
            }
        }

        Assert.True(accepted > 100 && refused > 10, $"{accepted} accepted, {refused} refused: the generator no longer probes both sides");
    }

    public static TheoryData<string, string> Unrunnable => new()
    {
        { "batch_size: 1", "base.batch_size: must be between 2 and 4096" },
        { "validation_size: 0", "base.validation_size: must be between 1 and 59998" },
        { "init_from: a.b", "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { "dataset: synthetic\n  synthetic_size: 635000", $"base.synthetic_size: must be between 16 and {Number(DatasetCatalog.MaxSyntheticSize)}" },
        { "epochs: 3\n  warmup_epochs: 3", "base.warmup_epochs: must be < epochs (a trial has warmup_epochs 3 and epochs 3)" },
        { "validation_size: 50000", "base.validation_size: must be <= 49998: cifar10 has 50000 training images and at least 2 must remain to train on" },
    };

    [Theory]
    [MemberData(nameof(Unrunnable))]
    public void AConfigThatCannotRunIsRefusedAtSubmitWithItsFieldsPath(string setting, string expected)
    {
        var text = $"name: t\nmethod: grid\nbase:\n  {setting}\n";

        var errors = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, Defaults)).Errors.Select(e => e.ToString());

        Assert.Contains(expected, errors);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void EveryDataSetShapeTrainsAStepWithEveryStem()
    {
        foreach (var facts in DatasetCatalog.All)
        {
            foreach (var stem in Enum.GetValues<ResNetStem>())
            {
                using var scope = NewDisposeScope();
                using var model = new ResNet34(facts.Shape.Channels, facts.ClassNames.Count, stem);
                model.train();
                var images = rand(2, facts.Shape.Channels, facts.Shape.Height, facts.Shape.Width);
                var loss = nn.functional.cross_entropy(model.call(images), tensor(new long[] { 0, 1 }));
                loss.backward();
                Assert.True(double.IsFinite(loss.item<float>()), $"{facts.Dataset} with the {stem} stem");
            }
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task EdgeConfigsSubmitAcceptsTrainForRealOnSyntheticData()
    {
        // The cheap corners: smallest data and batches, a final batch of one, every optimizer, schedule, augmentation and stem.
        string[] cheap =
        [
            "synthetic_size: 16\n  batch_size: 2\n  epochs: 1\n  optimizer: sgd\n  nesterov: true\n  checkpoint: best",
            "synthetic_size: 17\n  batch_size: 16\n  epochs: 2\n  warmup_epochs: 1\n  scheduler: onecycle\n  augmentation: crop_flip\n  stem: cifar",
            "synthetic_size: 33\n  batch_size: 4096\n  epochs: 2\n  optimizer: adamw\n  scheduler: step\n  step_size: 1\n  gamma: 1\n  checkpoint: best_last",
            "synthetic_size: 21\n  batch_size: 10\n  epochs: 1\n  scheduler: cosine\n  augmentation: flip\n  label_smoothing: 0.999999\n  momentum: 0",
        ];
        var index = 0;
        foreach (var settings in cheap)
        {
            var config = Assert.Single(SweepSpecParser.Parse($"name: t\nmethod: grid\nbase:\n  dataset: synthetic\n  {settings}\n", Defaults).Trials).Config;
            TrainerAccepts(config);

            var outcome = await fixture.NewTrainer().TrainAsync(new TrialRun($"edge-{index++}", 1, config, "cpu"), new RecordingObserver(), CancellationToken.None);

            Assert.True(outcome.Kind is OutcomeKind.Completed or OutcomeKind.Diverged, $"{settings}: {outcome.Kind} {outcome.Reason}");
        }
    }

    /// <summary>What the trainer derives from a config before its first batch, checked without loading any data.</summary>
    private static void TrainerAccepts(TrainingConfig config)
    {
        Assert.Empty(TrainingConfigValidator.Check(config, SweepLimits.Unlimited));

        var split = DatasetCatalog.Split(config);
        Assert.True(split is { Train: >= DatasetCatalog.MinTrainImages, Validation: >= 1, Test: >= 1 }, $"{config}: {split}");
        var bytesPerImage = DatasetCatalog.Of(config.Dataset).Shape.Bytes;
        Assert.True((long)(split.Train + split.Validation) * bytesPerImage <= Array.MaxLength, "the training images fit one array");
        Assert.True(DatasetCatalog.ImageBytes(config) <= DatasetCatalog.ImageMemoryBudget, "the images fit the stated budget");

        // Every batch of an epoch, the last included, holds at least 2 images (BatchNorm in training mode).
        var steps = TrainingSession.StepsIn(split.Train, config.BatchSize);
        Assert.True(steps >= 1);
        Assert.True(Math.Min(config.BatchSize, split.Train - ((steps - 1) * config.BatchSize)) >= 2);

        var schedule = LearningRateSchedule.FromConfig(config, steps);
        foreach (var step in new[] { 0, steps - 1, steps, (steps * config.WarmupEpochs) - 1, steps * config.WarmupEpochs, schedule.TotalSteps / 2, schedule.TotalSteps - 1 }.Where(s => s >= 0))
        {
            var lr = schedule.At(step);
            Assert.True(double.IsFinite(lr) && lr >= 0, $"lr {lr} at step {step}");
        }

        Assert.NotNull(CheckpointPolicy.For(config.Checkpoint));
        using var scope = NewDisposeScope();
        using var flat = new FlatParameters([new TorchSharp.Modules.Parameter(zeros(4))]);
        using var optimizer = FlatOptimizer.Create(config, flat);
        using var generator = new Generator((ulong)config.Seed + 2);
        Assert.NotNull(BatchAugmentation.For(config.Augmentation, zeros(3), ones(3), generator));
    }

    private static bool TryPlan(string text, out SweepPlan plan, out IReadOnlyList<SpecError> errors)
    {
        try
        {
            plan = SweepSpecParser.Parse(text, Defaults);
            errors = [];
            return true;
        }
        catch (SweepSpecException e)
        {
            plan = null!;
            errors = e.Errors;
            return false;
        }
    }

    private static string Base(params (string Field, string Value)[] settings)
    {
        var text = new StringBuilder("name: t\nmethod: grid\nbase:\n");
        foreach (var (field, value) in settings.DistinctBy(s => s.Field))
            text.Append(CultureInfo.InvariantCulture, $"  {field}: {value}\n");
        return text.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => fixture.Dispose();
}
