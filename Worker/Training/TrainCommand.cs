using System.Globalization;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Training;

/// <summary>
/// <c>train --config &lt;file&gt; [--device cpu] [--data-root datasets] [--checkpoints &lt;dir&gt;] [--epochs N] [--dataset cifar10|fashion_mnist|synthetic] [--id &lt;trial id&gt;]</c>:
/// one trial in the foreground, printing the notebook's per-epoch lines and the test report. Re-running with the same
/// id resumes from its <c>last</c> checkpoint.
/// </summary>
public static class TrainCommand
{
    private const string Usage = "usage: train --config <file> [--device cpu|cuda:0] [--data-root datasets] [--checkpoints <dir>] [--epochs N] [--dataset cifar10|fashion_mnist|synthetic] [--id <trial id>]";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        Dictionary<string, string> options;
        try
        {
            options = ParseOptions(args.SkipWhile(a => a == "train").ToArray());
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{Usage}");
            return 2;
        }
        if (!options.TryGetValue("config", out var configPath))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var config = TrainingConfigFile.Parse(await File.ReadAllTextAsync(configPath, ct));
        if (options.TryGetValue("epochs", out var epochs))
            config = config with { Epochs = int.Parse(epochs, CultureInfo.InvariantCulture) };
        // The same recipe on another data set: the notebook's config runs on Fashion-MNIST where CIFAR-10 is absent.
        if (options.TryGetValue("dataset", out var dataset))
            config = config with { Dataset = dataset };
        string id = options.GetValueOrDefault("id") ?? IdFromFileName(configPath);
        string device = options.GetValueOrDefault("device") ?? "cpu";
        var store = new CheckpointStore(options.GetValueOrDefault("checkpoints") ?? "checkpoints");
        var trainer = new TrialTrainer(
            store,
            Options.Create(new TrainingOptions { CheckpointRoot = store.Root }),
            Options.Create(new DataOptions { Root = options.GetValueOrDefault("data-root") ?? "datasets" }),
            NullLogger<TrialTrainer>.Instance);

        Console.WriteLine($"Training '{id}' on {device}: {config}");
        var outcome = await trainer.TrainAsync(new TrialRun(id, 1, config, device), new ConsoleObserver(), ct);
        if (outcome.Kind != OutcomeKind.Completed)
        {
            Console.WriteLine($"{outcome.Kind}: {outcome.Reason}");
            return 1;
        }
        CheckpointRetention.AfterCompletion(store, id, CheckpointPolicy.Parse(config.Checkpoint));
        foreach (var report in outcome.Evaluations)
            PrintReport(report);
        Console.WriteLine($"Checkpoints: {Path.Combine(store.Root, id)}");
        return 0;
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        string[] known = ["config", "device", "data-root", "checkpoints", "epochs", "dataset", "id"];
        var options = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            if (!known.Contains(name))
                throw new ArgumentException($"Unknown option '--{name}'.");
            if (i + 1 >= args.Length)
                throw new ArgumentException($"Option '--{name}' needs a value.");
            options[name] = args[++i];
        }
        return options;
    }

    private static string IdFromFileName(string path)
    {
        string id = new([.. Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-')]);
        return CheckpointStore.IsValidId(id) ? id : "train";
    }

    private static void PrintReport(EvaluationReport r)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per class ({r.Checkpoint}, epoch {r.Epoch}): macro precision {r.MacroPrecision:F4} - macro recall {r.MacroRecall:F4}"));
        foreach (var c in r.PerClass)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Name,-12} precision {c.Precision:F3}  recall {c.Recall:F3}  F1 {c.F1:F3}  support {c.Support}"));
        Console.WriteLine("  confusion (rows = true, columns = predicted):");
        foreach (var row in r.ConfusionMatrix)
            Console.WriteLine("  " + string.Join(" ", row.Select(v => v.ToString(CultureInfo.InvariantCulture).PadLeft(5))));
    }

    private sealed class ConsoleObserver : ITrainingObserver
    {
        public Task<bool> EpochCompletedAsync(EpochMetrics metrics, CancellationToken cancellationToken) => Task.FromResult(true);

        public void Progress(string message) => Console.WriteLine(message);
    }
}
