using System.CommandLine;
using System.Globalization;
using Experiments.Core.CommandLine;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>The notebook's recipe vs an improved one on Fashion-MNIST, same epochs; prints both test accuracies.</summary>
internal static class RecipeAccuracy
{
    public static Command Command()
    {
        var epochsOption = CommandLineOptions.Integer("--epochs", "Epochs per recipe", 3, min: 1);
        var checkpointsOption = CommandLineOptions.Folder("--checkpoints", "Checkpoint root", Path.Combine(Path.GetTempPath(), "bench-accuracy"));
        var dataRootOption = CommandLineOptions.Folder("--data-root", "Where data sets are", "datasets");
        var threadsOption = BenchOptions.Threads();
        var command = BenchOptions.Command("accuracy", "The notebook's recipe vs an improved one on Fashion-MNIST", epochsOption, checkpointsOption, dataRootOption, threadsOption);
        command.SetAction((parsed, ct) => RunAsync(
            parsed.GetValue(epochsOption), parsed.GetValue(checkpointsOption)!.FullName, parsed.GetValue(dataRootOption)!.FullName, parsed.GetValue(threadsOption), ct));
        return command;
    }

    private static async Task<int> RunAsync(int epochs, string checkpoints, string dataRoot, int threads, CancellationToken cancellationToken)
    {
        set_num_threads(threads);
        var data = new DataOptions { Root = dataRoot };
        var notebook = new TrainingConfig { Dataset = Dataset.FashionMnist, Epochs = epochs, Seed = 0 };
        var improved = notebook with { Stem = ResNetStem.Cifar, Augmentation = Augmentation.CropFlip, Scheduler = Scheduler.Cosine, Checkpoint = KeptCheckpoints.BestLast };

        var accuracies = new List<double>();
        foreach (var (name, config) in new[] { ("notebook", notebook), ("improved", improved) })
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notebook {accuracies[0]:F4} vs improved {accuracies[1]:F4} after {epochs} epochs: ratio {accuracies[1] / accuracies[0]:F3}"));
        return 0;
    }

    private sealed class ConsoleLines(string name) : ITrainingObserver
    {
        public Task<bool> EpochCompletedAsync(EpochMetrics metrics, CancellationToken cancellationToken) => Task.FromResult(true);

        public void Progress(string message) => Console.WriteLine($"[{name}] {message}");
    }
}
