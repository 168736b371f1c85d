using System.Diagnostics;
using System.Text.RegularExpressions;
using Experiments.Tests.Shared;

namespace Experiments.Worker.Tests.Training;

/// <summary>
/// The README's <c>train</c> line, run as a user runs it: a real process from the repository root. It must read its
/// paths from there (not from <c>Worker/</c>, where <c>dotnet run</c> would otherwise start it) and fail, if at all,
/// with one clear line and no stack trace.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class ReadmeTrainLineTests : IDisposable
{
    // Generous: the line builds the Worker first (a no-op after the test build, but slow on a busy machine). Not a speed check.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private readonly string checkpoints = Directory.CreateTempSubdirectory("readme-train-").FullName;
    private readonly string configs = Directory.CreateTempSubdirectory("readme-train-config-").FullName;

    private static string ReadmeLine()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        return Assert.Single(TrainLine().Matches(readme)).Value.Trim();
    }

    [Fact]
    public void TheReadmeShowsTheTrainLineFromTheRepositoryRoot()
    {
        Assert.Equal("dotnet run --project Worker -- train --config sweeps/seed-baseline.yaml --data-root datasets", ReadmeLine());
    }

    [Fact]
    public async Task TheReadmeLineAsWrittenReadsItsFilesFromWhereItIsRun()
    {
        // No download here: without CIFAR-10 in datasets/ the run must say where to put it, in one line.
        var run = await RunAsync(ReadmeLine(), ("Data__AllowDownload", "false"), stopAt: "Reading CIFAR-10 from");

        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Contains($"Training 'seed-baseline' on cpu: dataset cifar10,", run.Output, StringComparison.Ordinal);
        if (run.Stopped)
        {
            // Someone put CIFAR-10 there: it found it under the repository root, which is the point; it is not trained here.
            Assert.Contains($"Reading CIFAR-10 from {Path.Combine(RepositoryPaths.Root, "datasets", "cifar-10-batches-bin")}", run.Output, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"train: CIFAR-10 is not in {Path.Combine(RepositoryPaths.Root, "datasets", "cifar-10-batches-bin")}{Path.DirectorySeparatorChar} and downloading is disabled", line, StringComparison.Ordinal);
        Assert.Contains("Put cifar-10-binary.tar.gz", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameLineWithATinySweepFileTrainsToTheEnd()
    {
        // The README's line with only its sweep file swapped for a tiny one: the smoke sweep's shape, but 2 steps an epoch
        // with the ImageNet stem instead of 4 at full resolution (what this proves is the line, not the smoke sweep; the
        // smoke sweep line took 130 s against this one's 40 s on a loaded two-core machine). 2 images each to validate
        // and test: a batch of one image makes libtorch try NNPACK and print warnings. The path stays relative to the
        // repository root, where the line is run.
        var sweepFile = Path.Combine(configs, "tiny.yaml");
        File.WriteAllText(sweepFile, """
            name: tiny
            method: grid
            metric: { name: val_accuracy, goal: maximize }
            base:
              dataset: synthetic
              synthetic_size: 20
              epochs: 2
              batch_size: 10
              stem: imagenet
              seed: 0
            parameters:
              lr: { values: [0.001, 0.003] }
            """);
        var relative = Path.GetRelativePath(RepositoryPaths.Root, sweepFile);
        var line = ReadmeLine().Replace("sweeps/seed-baseline.yaml", relative, StringComparison.Ordinal) + $" --checkpoints {checkpoints}";

        var run = await RunAsync(line);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Training 'tiny' on cpu: dataset synthetic, synthetic_size 20,", run.Output, StringComparison.Ordinal);
        Assert.Contains("Epoch 2/2 - loss", run.Output, StringComparison.Ordinal);
        Assert.Contains("Test (last, epoch 2)", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(checkpoints, "tiny", "last.ckpt")));
    }

    private static async Task<(int ExitCode, string Output, string Error, bool Stopped)> RunAsync(string commandLine, (string Name, string Value)? environment = null, string? stopAt = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", commandLine])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is { } variable)
            start.Environment[variable.Name] = variable.Value;

        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var stopped = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            if (stopAt is not null && e.Data.Contains(stopAt, StringComparison.Ordinal))
                stopped.TrySetResult();
        };
        process.BeginOutputReadLine();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        var exited = process.WaitForExitAsync(patience.Token);
        var first = await Task.WhenAny(exited, stopped.Task);
        var wasStopped = first == stopped.Task && !process.HasExited;
        if (wasStopped || patience.IsCancellationRequested)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
        Assert.False(patience.IsCancellationRequested && !wasStopped, $"'{commandLine}' did not finish within {Patience}");
        var errorText = await error;
        lock (output)
            return (process.ExitCode, output.ToString(), errorText, wasStopped);
    }

    [GeneratedRegex(@"(?m)^dotnet run --project Worker -- train .*$")]
    private static partial Regex TrainLine();

    public void Dispose()
    {
        Directory.Delete(checkpoints, recursive: true);
        Directory.Delete(configs, recursive: true);
    }
}
