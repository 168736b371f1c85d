using Experiments.Core.Datasets;
using System.CommandLine;
using System.Globalization;
using Experiments.Core.Checkpoints;
using Experiments.Core.CommandLine;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Core.Datasets.Files;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Training;

/// <summary>
/// <c>train --config &lt;file&gt;</c>: one trial in the foreground, printing the notebook's per-epoch lines and the
/// test report, with a progress line inside each epoch (<see cref="TrainingProgressPrinter"/>). The file is read by the sweep reader and rules (a bare config or a sweep's <c>base:</c>). Paths are
/// relative to where the user ran the command; <c>Data__*</c> and <c>Training__*</c> environment variables are read
/// as the worker reads them, the options win. Re-running with the same id resumes from its <c>last</c> checkpoint.
/// </summary>
public static class TrainCommand
{
    private static readonly Option<FileInfo> ConfigFile = Required(CommandLineOptions.ExistingFile("--config", "A training config or a sweep file (its base: is trained), YAML or JSON"));
    private static readonly Option<DirectoryInfo> DataRoot = CommandLineOptions.Folder("--data-root", "Where data sets are (default: Data__Root, else datasets)");
    private static readonly Option<DirectoryInfo> Checkpoints = CommandLineOptions.Folder("--checkpoints", "Checkpoint root (default: Checkpoints__Root, else checkpoints)");
    private static readonly Option<TrainingDevice?> Device = CommandLineOptions.Optional<TrainingDevice>(
        "--device", "Device to train on (default: the config's device; auto means cpu)",
        text => TrainingDevice.TryParse(text, out var device) && device.Kind != DeviceKind.Auto ? (true, device) : (false, default), "cpu, cuda or cuda:N");
    private static readonly Option<int?> Epochs = CommandLineOptions.Optional<int>(
        "--epochs", "Overrides the config's epochs", text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (true, n) : (false, 0), "a whole number");
    private static readonly Option<Dataset?> DatasetOverride = CommandLineOptions.Optional<Dataset>(
        "--dataset", "Overrides the config's data set", text => Spelling<Dataset>.TryParse(text, out var d) ? (true, d) : (false, default), string.Join(", ", Spelling<Dataset>.Names));
    private static readonly Option<string?> Id = TrialIdOption();
    private static readonly Option<FileInfo?> Export = ExportOption();

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var command = CommandLineRunner.Create("train", "Trains one config in the foreground, printing per-epoch progress and the test report.");
        foreach (var option in new Option[] { ConfigFile, DataRoot, Checkpoints, Device, Epochs, DatasetOverride, Id, Export })
            command.Options.Add(option);
        command.SetAction((parsed, ct) => TrainAsync(parsed, ct));
        return CommandLineRunner.RunAsync(command, args, cancellationToken);
    }

    private static async Task<int> TrainAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var file = parsed.GetValue(ConfigFile)!;
        var config = Overridden(await ReadConfigAsync(file, cancellationToken), parsed);
        var device = parsed.GetValue(Device) ?? (config.Device.Kind == DeviceKind.Auto ? TrainingDevice.Cpu : config.Device);
        string id = parsed.GetValue(Id) ?? IdFromFileName(file.Name);

        var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var data = environment.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions();
        var training = environment.GetSection(TrainingOptions.SectionName).Get<TrainingOptions>() ?? new TrainingOptions();
        data.Root = parsed.GetValue(DataRoot)?.FullName ?? Path.GetFullPath(data.Root);
        var checkpoints = environment.GetSection(CheckpointOptions.SectionName).Get<CheckpointOptions>() ?? new CheckpointOptions();
        var store = new CheckpointStore(parsed.GetValue(Checkpoints)?.FullName ?? Path.GetFullPath(checkpoints.Root));
        var trainer = new TrialTrainer(store, Options.Create(training), Options.Create(data), NullLogger<TrialTrainer>.Instance);
        Console.WriteLine($"Training '{id}' on {device}: {string.Join(", ", TrainingConfigSettings.Of(config).Where(s => s.Value is not null).Select(s => $"{s.Name} {s.Value}"))}");
        TrialOutcome outcome;
        try
        {
            // A bar redrawn in place on a terminal; plain lines now and then when the output goes to a file or a pipe.
            var printer = new TrainingProgressPrinter(Console.Out, terminal: !Console.IsOutputRedirected, config.Epochs, TimeProvider.System);
            outcome = await trainer.TrainAsync(new TrialRun(id, 1, config, device.ToString()), new ConsoleObserver(printer), cancellationToken);
        }
        catch (DataSetUnavailableException missing)
        {
            throw new CommandLineFailure(missing.Message, inner: missing);
        }
        catch (InvalidDataException damaged)
        {
            throw new CommandLineFailure(damaged.Message, inner: damaged);
        }

        if (outcome.Kind != OutcomeKind.Completed)
            throw new CommandLineFailure($"{outcome.Kind.ToString().ToLowerInvariant()}: {outcome.Reason}");
        CheckpointRetention.AfterCompletion(store, id, CheckpointPolicy.For(config.Checkpoint), TrialCheckpoints.Fixed);
        foreach (var report in outcome.Evaluations)
            PrintReport(report);
        Console.WriteLine($"Checkpoints: {Path.Combine(store.Root, id)}");
        if (parsed.GetValue(Export) is { } export)
            ExportModel(store, id, outcome.Evaluations[0], export);
        return CommandLineRunner.Succeeded;
    }

    /// <summary>
    /// Writes the headline checkpoint's model (best when kept, else last: the first report) as a PyTorch state dict,
    /// through a temporary file so a failed export never leaves a half-written .pt behind.
    /// </summary>
    private static void ExportModel(CheckpointStore store, string id, EvaluationReport headline, FileInfo export)
    {
        string temporary = export.FullName + ".partial";
        try
        {
            using (var checkpoint = store.OpenRead(id, headline.Checkpoint))
            using (var destination = File.Create(temporary))
                CheckpointFormat.ExportModel(checkpoint, destination);
            File.Move(temporary, export.FullName, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CommandLineFailure($"--export: cannot write {export.FullName}: {e.Message}", inner: e);
        }
        Console.WriteLine($"Exported the {headline.Checkpoint} checkpoint (epoch {headline.Epoch}) as a PyTorch state dict: {export.FullName}");
    }

    private static async Task<TrainingConfig> ReadConfigAsync(FileInfo file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineFailure($"--config: cannot read {file.FullName}: {e.Message}", CommandLineRunner.UsageError, e);
        }

        try
        {
            // The limits a Dashboard applies by default: what `train` accepts, a submit of the same file accepts.
            return TrainingConfigReader.Read(text, new SweepLimits());
        }
        catch (SweepSpecException invalid)
        {
            throw new CommandLineFailure([.. invalid.Errors.Select(e => $"{file.FullName}: {e}")], CommandLineRunner.UsageError, invalid);
        }
    }

    /// <summary>Applies --epochs and --dataset, then checks the result by the same rules (an override can break a cross-field rule).</summary>
    private static TrainingConfig Overridden(TrainingConfig config, ParseResult parsed)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parsed.GetValue(Epochs) is { } epochs)
        {
            config = config with { Epochs = epochs };
            overrides["epochs"] = "--epochs";
        }

        // The same recipe on another data set: the notebook's config runs on Fashion-MNIST where CIFAR-10 is absent.
        if (parsed.GetValue(DatasetOverride) is { } dataset)
        {
            config = config with { Dataset = dataset };
            overrides["dataset"] = "--dataset";
        }

        var problems = TrainingConfigValidator.Check(config, new SweepLimits());
        return problems.Count == 0
            ? config
            : throw new CommandLineFailure([.. problems.Select(p => $"{overrides.GetValueOrDefault(p.Path, p.Path)}: {p.Message}")], CommandLineRunner.UsageError);
    }

    private static Option<string?> TrialIdOption()
    {
        var option = new Option<string?>("--id") { Description = "Checkpoint folder name; the same id resumes (default: the config file's name)", HelpName = "id" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } id && !CheckpointId.IsValid(id))
                result.AddError($"--id: '{id}' {CheckpointId.Rule}");
        });
        return option;
    }

    private static Option<FileInfo?> ExportOption()
    {
        var option = new Option<FileInfo?>("--export")
        {
            Description = "After training, write the model (best checkpoint when kept, else last) as a PyTorch state dict (.pt) to this file",
            HelpName = "file",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { } file && file.Directory is { Exists: false } folder)
                result.AddError($"--export: the folder {folder.FullName} does not exist");
        });
        return option;
    }

    private static Option<T> Required<T>(Option<T> option)
    {
        option.Required = true;
        return option;
    }

    private static string IdFromFileName(string fileName)
    {
        string id = new([.. Path.GetFileNameWithoutExtension(fileName).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-')]);
        return CheckpointId.IsValid(id) ? id : "train";
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

    private sealed class ConsoleObserver(TrainingProgressPrinter printer) : ITrainingObserver
    {
        public Task<bool> EpochCompletedAsync(EpochMetrics metrics, TrialCheckpoints checkpoints, CancellationToken cancellationToken) => Task.FromResult(true);

        public void Progress(string message) => printer.WriteLine(message);

        public void BatchCompleted(BatchProgress progress) => printer.BatchCompleted(progress);
    }
}
