using Experiments.Worker.Training;

namespace Experiments.Worker.Tests.Training;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "train-cmd-" + Guid.NewGuid().ToString("N"));

    [Trait("Category", "Slow")] // trains whole epochs
    [Fact]
    public async Task TrainsFromAConfigFileAndWritesItsCheckpoint()
    {
        Directory.CreateDirectory(folder);
        string config = Path.Combine(folder, "tiny.yaml");
        await File.WriteAllTextAsync(config, "dataset: synthetic\nsynthetic_size: 16\nbatch_size: 8\nepochs: 5\nseed: 1\n");
        string checkpoints = Path.Combine(folder, "ckpt");

        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int exitCode;
        try
        {
            exitCode = await TrainCommand.RunAsync(["train", "--config", config, "--checkpoints", checkpoints, "--epochs", "1"], CancellationToken.None);
        }
        finally
        {
            Console.SetOut(previous);
        }

        Assert.Equal(0, exitCode);
        string text = output.ToString();
        Assert.Matches(@"Epoch 1/1 - loss \d+\.\d{4} - acc \d\.\d{4} - val_loss \d+\.\d{4} - val_acc \d\.\d{4} - lr \S+ - \d+ img/s", text);
        Assert.Contains("Test (last, epoch 1)", text);
        Assert.True(File.Exists(Path.Combine(checkpoints, "tiny", "last.ckpt")));
    }

    [Fact]
    public async Task MissingConfigPrintsUsage() =>
        Assert.Equal(2, await TrainCommand.RunAsync(["train", "--epochs", "1"], CancellationToken.None));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
