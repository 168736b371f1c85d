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
        var command = BenchOptions.Command("accuracy", "The notebook's recipe vs an improved one (or fp32 vs bf16) on Fashion-MNIST", epochsOption, checkpointsOption, dataRootOption, threadsOption, compareOption);
        command.SetAction((parsed, ct) => RunAsync(
            parsed.GetValue(epochsOption), parsed.GetValue(checkpointsOption)!.FullName, parsed.GetValue(dataRootOption)!.FullName, parsed.GetValue(threadsOption),
            parsed.GetValue(compareOption) == "precision", ct));
        return command;
    }

    private static async Task<int> RunAsync(int epochs, string checkpoints, string dataRoot, int threads, bool comparePrecision, CancellationToken cancellationToken)
    {
        set_num_threads(threads);
        var data = new DataOptions { Root = dataRoot };
        var notebook = new TrainingConfig { Dataset = Dataset.FashionMnist, Epochs = epochs, Seed = 0 };
        var improved = notebook with { Stem = ResNetStem.Cifar, Augmentation = Augmentation.CropFlip, Scheduler = Scheduler.Cosine, Checkpoint = KeptCheckpoints.BestLast };
        var runs = comparePrecision
            ? new[] { ("fp32", notebook), ("bf16", notebook with { Precision = Precision.Bf16 }) }
            : new[] { ("notebook", notebook), ("improved", improved) };

        var accuracies = new List<double>();
        foreach (var (name, config) in runs)
        {
            var store = new CheckpointStore(checkpoints);
            store.DeleteTrial(name);
            var trainer = new TrialTrainer(store, Options.Create(new TrainingOptions()), Options.Create(data), NullLogger<TrialTrainer>.Instance);
            var outcome = await trainer.TrainAsync(new TrialRun(name, 1, config, "cpu"), new ConsoleLines(name), cancellationToken);
            if (outcome.Kind != OutcomeKind.Completed)
            {
                Console.WriteLine($"{name}: {outcome.Kind} {outcome.Reason}");
                return 1;
            }
            var report = outcome.Evaluations[0];
            accuracies.Add(report.Accuracy);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: test accuracy {report.Accuracy:F4} ({report.Checkpoint} checkpoint, epoch {report.Epoch})"));
        }
        Console.WriteLine(comparePrecision
            ? string.Create(CultureInfo.InvariantCulture,
                $"fp32 {accuracies[0]:F4} vs bf16 {accuracies[1]:F4} after {epochs} epochs: bf16 - fp32 = {100 * (accuracies[1] - accuracies[0]):F2} points (target within 0.5)")
            : string.Create(CultureInfo.InvariantCulture,
                $"notebook {accuracies[0]:F4} vs improved {accuracies[1]:F4} after {epochs} epochs: ratio {accuracies[1] / accuracies[0]:F3}"));
        return 0;
    }

    private sealed class ConsoleLines(string name) : ITrainingObserver
    {
        public Task<bool> EpochCompletedAsync(EpochMetrics metrics, TrialCheckpoints checkpoints, CancellationToken cancellationToken) => Task.FromResult(true);

        public void Progress(string message) => Console.WriteLine($"[{name}] {message}");
    }
}
