using Experiments.Core.Datasets;
using System.CommandLine;
using System.Globalization;
using Experiments.Core.CommandLine;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>
/// On Fashion-MNIST, same epochs: the notebook's recipe vs an improved one (<c>--compare recipe</c>), or the notebook's
/// recipe in fp32 vs bf16 (<c>--compare precision</c>); prints both test accuracies.
/// </summary>
internal static class RecipeAccuracy
{
    public static Command Command()
    {
        var epochsOption = CommandLineOptions.Integer("--epochs", "Epochs per recipe", 3, min: 1);
        var checkpointsOption = CommandLineOptions.Folder("--checkpoints", "Checkpoint root", Path.Combine(Path.GetTempPath(), "bench-accuracy"));
        var dataRootOption = CommandLineOptions.Folder("--data-root", "Where data sets are", "datasets");
        var threadsOption = BenchOptions.Threads();
        var compareOption = new Option<string>("--compare") { Description = "recipe (notebook vs improved) or precision (fp32 vs bf16)", DefaultValueFactory = _ => "recipe" };
        compareOption.AcceptOnlyFromAmong("recipe", "precision");
        var seedsOption = CommandLineOptions.Integer("--seeds", "Seeds per precision (precision only; the difference is of the means)", 1, min: 1);
        var scheduleOption = new Option<string>("--schedule") { Description = "The learning-rate schedule of both precisions (precision only)", DefaultValueFactory = _ => "none" };
        scheduleOption.AcceptOnlyFromAmong("none", "cosine");
        var command = BenchOptions.Command(
            "accuracy", "The notebook's recipe vs an improved one (or fp32 vs bf16) on Fashion-MNIST",
            epochsOption, checkpointsOption, dataRootOption, threadsOption, compareOption, seedsOption, scheduleOption);
        command.SetAction((parsed, ct) =>
        {
            set_num_threads(parsed.GetValue(threadsOption));
            var bench = new Bench(parsed.GetValue(checkpointsOption)!.FullName, new DataOptions { Root = parsed.GetValue(dataRootOption)!.FullName });
            var epochs = parsed.GetValue(epochsOption);
            return parsed.GetValue(compareOption) == "precision"
                ? ComparePrecisionAsync(bench, epochs, parsed.GetValue(seedsOption), parsed.GetValue(scheduleOption) == "cosine" ? Scheduler.Cosine : Scheduler.None, ct)
                : CompareRecipesAsync(bench, epochs, ct);
        });
        return command;
    }

    private static async Task<int> CompareRecipesAsync(Bench bench, int epochs, CancellationToken cancellationToken)
    {
        var notebook = new TrainingConfig { Dataset = Dataset.FashionMnist, Epochs = epochs, Seed = 0 };
        var improved = notebook with { Stem = ResNetStem.Cifar, Augmentation = Augmentation.CropFlip, Scheduler = Scheduler.Cosine, Checkpoint = KeptCheckpoints.BestLast };
        var accuracies = new List<double>();
        foreach (var (name, config) in new[] { ("notebook", notebook), ("improved", improved) })
        {
            if (await bench.TestAccuracyAsync(name, config, cancellationToken) is not { } accuracy)
                return 1;
            accuracies.Add(accuracy);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notebook {accuracies[0]:F4} vs improved {accuracies[1]:F4} after {epochs} epochs: ratio {accuracies[1] / accuracies[0]:F3}"));
        return 0;
    }

    /// <summary>
    /// The notebook's recipe in fp32 and in bf16, seed by seed. One run's last-epoch accuracy at a constant learning
    /// rate moves by about a point from seed to seed, more than the 0.5 the comparison is about: hence several seeds
    /// (the difference of the means, with its standard error) and, optionally, a cosine schedule that lets the last
    /// weights settle. The bf16 weights are also evaluated in fp32, to tell training precision from inference precision.
    /// </summary>
    private static async Task<int> ComparePrecisionAsync(Bench bench, int epochs, int seeds, Scheduler schedule, CancellationToken cancellationToken)
    {
        var fp32 = new List<double>();
        var bf16 = new List<double>();
        var bf16InFp32 = new List<double>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var config = new TrainingConfig { Dataset = Dataset.FashionMnist, Epochs = epochs, Seed = seed, Scheduler = schedule };
            if (await bench.TestAccuracyAsync($"fp32-s{seed}", config, cancellationToken) is not { } full
                || await bench.TestAccuracyAsync($"bf16-s{seed}", config with { Precision = Precision.Bf16 }, cancellationToken) is not { } low
                || await bench.EvaluateCopyAsync($"bf16-s{seed}", $"bf16-s{seed}-in-fp32", config, cancellationToken) is not { } lowInFull)
                return 1;
            fp32.Add(full);
            bf16.Add(low);
            bf16InFp32.Add(lowInFull);
        }

        var differences = fp32.Zip(bf16, (f, b) => 100 * (b - f)).ToList();
        var mean = differences.Average();
        var standardError = seeds > 1 ? Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (seeds - 1) / seeds) : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bf16 weights evaluated in fp32: {bf16InFp32.Average():F4} (bf16 evaluation {bf16.Average():F4})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fp32 {fp32.Average():F4} vs bf16 {bf16.Average():F4} after {epochs} epochs ({seeds} seeds, schedule {schedule.ToString().ToLowerInvariant()}): " +
            $"bf16 - fp32 = {mean:F2} points{(seeds > 1 ? $" (standard error {standardError:F2})" : "")} (target within 0.5)"));
        return 0;
    }

    private sealed class Bench(string checkpoints, DataOptions data)
    {
        private readonly CheckpointStore _store = new(checkpoints);

        /// <summary>Trains <paramref name="config"/> from scratch as trial <paramref name="name"/>; its test accuracy, or null when it did not complete.</summary>
        public async Task<double?> TestAccuracyAsync(string name, TrainingConfig config, CancellationToken cancellationToken)
        {
            _store.DeleteTrial(name);
            return await RunAsync(name, config, cancellationToken);
        }

        /// <summary>
        /// Trial <paramref name="trained"/>'s last checkpoint evaluated under <paramref name="config"/>: a run that resumes
        /// from a copy at its final epoch trains nothing and only evaluates.
        /// </summary>
        public async Task<double?> EvaluateCopyAsync(string trained, string name, TrainingConfig config, CancellationToken cancellationToken)
        {
            _store.DeleteTrial(name);
            var target = Path.Combine(checkpoints, name);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(Path.Combine(checkpoints, trained), "*.ckpt"))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            return await RunAsync(name, config, cancellationToken);
        }

        private async Task<double?> RunAsync(string name, TrainingConfig config, CancellationToken cancellationToken)
        {
            var trainer = new TrialTrainer(_store, Options.Create(new TrainingOptions()), Options.Create(data), NullLogger<TrialTrainer>.Instance);
            var outcome = await trainer.TrainAsync(new TrialRun(name, 1, config, "cpu"), new ConsoleLines(name), cancellationToken);
            if (outcome.Kind != OutcomeKind.Completed)
            {
                Console.WriteLine($"{name}: {outcome.Kind} {outcome.Reason}");
                return null;
            }
            var report = outcome.Evaluations[0];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: test accuracy {report.Accuracy:F4} ({report.Checkpoint} checkpoint, epoch {report.Epoch})"));
            return report.Accuracy;
        }
    }

    private sealed class ConsoleLines(string name) : ITrainingObserver
    {
        public Task<bool> EpochCompletedAsync(EpochMetrics metrics, TrialCheckpoints checkpoints, CancellationToken cancellationToken) => Task.FromResult(true);

        public void Progress(string message) => Console.WriteLine($"[{name}] {message}");
    }
}
