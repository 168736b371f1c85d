using Experiments.Worker.Training;

namespace Experiments.Worker.Tests.Training;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("train-cmd-").FullName;

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exitCode = await TrainCommand.RunAsync(args, CancellationToken.None);
            return (exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    private string Config(string text)
    {
        var path = Path.Combine(folder, "tiny.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Trait("Category", "Slow")] // trains whole epochs
    [Fact]
    public async Task TrainsFromAConfigFileAndWritesItsCheckpoint()
    {
        string config = Config("dataset: synthetic\nsynthetic_size: 16\nbatch_size: 8\nepochs: 5\nseed: 1\n");
        string checkpoints = Path.Combine(folder, "ckpt");

        var (exitCode, text, error) = await RunAsync("--config", config, "--checkpoints", checkpoints, "--epochs", "1");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Training 'tiny' on cpu: dataset synthetic, synthetic_size 16,", text);
        Assert.Matches(@"Epoch 1/1 - loss \d+\.\d{4} - acc \d\.\d{4} - val_loss \d+\.\d{4} - val_acc \d\.\d{4} - lr \S+ - \d+ img/s", text);
        // Progress inside the epoch: plain lines under a test host (output redirected), a bar on a terminal.
        Assert.Matches(@"epoch 1/1 (batch|\[[#-]+\]) 1/\d+ - loss \d+\.\d{4} - \d+ img/s", text);
        Assert.Contains("Test (last, epoch 1)", text);
        Assert.True(File.Exists(Path.Combine(checkpoints, "tiny", "last.ckpt")));
    }

    [Trait("Category", "Slow")] // trains whole epochs
    [Fact]
    public async Task ExportWritesTheKeptBestCheckpointsModelAsAPyTorchStateDict()
    {
        string config = Config("dataset: synthetic\nsynthetic_size: 16\nbatch_size: 8\nepochs: 2\nseed: 1\ncheckpoint: best\n");
        string checkpoints = Path.Combine(folder, "ckpt");
        string export = Path.Combine(folder, "model.pt");

        var (exitCode, text, error) = await RunAsync("--config", config, "--checkpoints", checkpoints, "--export", export);

        Assert.True(exitCode == 0, error);
        Assert.Matches(@"Exported the best checkpoint \(epoch \d\) as a PyTorch state dict: .*model\.pt", text);
        var exported = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(export);
        using var stream = File.OpenRead(Path.Combine(checkpoints, "tiny", "best.ckpt"));
        using var best = Experiments.Worker.Training.Checkpointing.TrainingCheckpoint.Read(stream);
        Assert.Equal(best.Model.Count, exported.Count);
        Assert.All(best.Model, e => Assert.True(e.Value.eq((TorchSharp.torch.Tensor)exported[e.Key]!).all().item<bool>(), e.Key));
        Assert.False(File.Exists(export + ".partial"));
    }

    [Fact]
    public async Task AnExportIntoAMissingFolderIsRefusedBeforeTraining()
    {
        string export = Path.Combine(folder, "no-such-folder", "model.pt");

        var (exitCode, text, error) = await RunAsync("--config", Config("epochs: 1\n"), "--export", export);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--export: the folder {Path.Combine(folder, "no-such-folder")} does not exist", error);
        Assert.DoesNotContain("Training", text);
    }

    [Fact]
    public async Task HelpPrintsUsageAndSucceeds()
    {
        var (exitCode, text, error) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("train [options]", text);
        Assert.Contains("--config", text);
        Assert.Empty(error);
    }

    [Fact]
    public async Task AMissingConfigOptionIsOneLineAndAUsageError()
    {
        var (exitCode, _, error) = await RunAsync("--epochs", "1");

        Assert.Equal(2, exitCode);
        Assert.Equal(["train: Option '--config' is required. (see train --help)"], Lines(error));
    }

    [Fact]
    public async Task AMissingFileIsOneLineSayingWhereItLooked()
    {
        var missing = Path.Combine(folder, "nope.yaml");

        var (exitCode, _, error) = await RunAsync("--config", missing);

        Assert.Equal(2, exitCode);
        Assert.Equal([$"train: --config: no file at {missing} (see train --help)"], Lines(error));
    }

    [Theory]
    [InlineData("--epochs", "ten", "train: --epochs: 'ten' is not a whole number (see train --help)")]
    [InlineData("--dataset", "imagenet", "train: --dataset: 'imagenet' is not cifar10, fashion_mnist, synthetic (see train --help)")]
    [InlineData("--device", "gpu", "train: --device: 'gpu' is not cpu, cuda or cuda:N (see train --help)")]
    [InlineData("--id", "../x", "train: --id: '../x' must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path (see train --help)")]
    public async Task ABadValueIsOneLineNamingTheOption(string option, string value, string expected)
    {
        var (exitCode, _, error) = await RunAsync("--config", Config("epochs: 1\n"), option, value);

        Assert.Equal(2, exitCode);
        Assert.Equal([expected], Lines(error));
    }

    [Fact]
    public async Task AConfigTheRulesRefuseIsReportedAtItsFieldsPath()
    {
        var config = Config("dataset: synthetic\nbatch_size: 1\ninit_from: a.b\n");

        var (exitCode, text, error) = await RunAsync("--config", config);

        Assert.Equal(2, exitCode);
        Assert.Empty(text);
        Assert.Equal(
            [
                $"train: {config}: batch_size: must be between 2 and 4096",
                $"train: {config}: init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path",
            ],
            Lines(error));
    }

    [Fact]
    public async Task AnOverrideIsCheckedByTheSameRules()
    {
        var (exitCode, _, error) = await RunAsync("--config", Config("epochs: 5\nwarmup_epochs: 2\n"), "--epochs", "0");

        Assert.Equal(2, exitCode);
        Assert.Equal(["train: --epochs: must be between 1 and 500"], Lines(error));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
