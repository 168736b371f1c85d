using System.Globalization;
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
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new BenchArgs(args);
        int epochs = a.Int("epochs", 3);
        set_num_threads(a.Int("threads", 2));
        string checkpoints = a.String("checkpoints", Path.Combine(Path.GetTempPath(), "bench-accuracy"));
        var data = new DataOptions { Root = a.String("data-root", "datasets") };
        var notebook = new TrainingConfig { Dataset = "fashion_mnist", Epochs = epochs, Seed = 0 };
        var improved = notebook with { Stem = "cifar", Augmentation = "crop_flip", Scheduler = "cosine", Checkpoint = "best_last" };

        var accuracies = new List<double>();
        foreach (var (name, config) in new[] { ("notebook", notebook), ("improved", improved) })
        {
            var store = new CheckpointStore(checkpoints);
            store.DeleteTrial(name);
            var trainer = new TrialTrainer(store, Options.Create(new TrainingOptions()), Options.Create(data), NullLogger<TrialTrainer>.Instance);
            var outcome = await trainer.TrainAsync(new TrialRun(name, 1, config, "cpu"), new ConsoleLines(name), CancellationToken.None);
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
