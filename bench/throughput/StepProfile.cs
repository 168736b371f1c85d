using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Data;
using Experiments.Worker.Training.Model;
using Experiments.Worker.Training.Optimization;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>
/// Where a training step's time goes: data (augment + normalise), forward, loss, backward, optimizer, each summed
/// over the timed steps and printed as milliseconds per step and share of the step.
/// </summary>
internal static class StepProfile
{
    public static Command Command()
    {
        Option<int> batchOption = BenchOptions.Batch(128), stepsOption = BenchOptions.Steps(6), threadsOption = BenchOptions.Threads();
        var command = BenchOptions.Command("profile", "Milliseconds per step in data, forward, backward and optimizer", batchOption, stepsOption, threadsOption);
        command.SetAction(parsed => Run(parsed.GetValue(batchOption), parsed.GetValue(stepsOption), parsed.GetValue(threadsOption)));
        return command;
    }

    private static int Run(int batch, int steps, int threads)
    {
        set_num_threads(threads);
        manual_seed(0);
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        using var flat = new FlatParameters([.. model.parameters()]);
        using var optimizer = FlatOptimizer.Create(new TrainingConfig(), flat);
        using var images = randint(0, 256, [batch, 3, 32, 32], ScalarType.Byte);
        using var labels = randint(0, 10, [batch], ScalarType.Int64);
        using var mean = full([3], 0.5f);
        using var std = full([3], 0.25f);
        using var generator = new Generator(1);
        var augmentation = BatchAugmentation.For(Augmentation.CropFlip, mean, std, generator);
        model.train();

        string[] phases = ["data", "forward", "backward", "optimizer"];
        var seconds = new double[phases.Length];
        var clock = new Stopwatch();
        for (int step = -2; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            clock.Restart();
            var x = augmentation.Apply(images);
            var t0 = clock.Elapsed.TotalSeconds;
            flat.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(x), labels);
            _ = loss.item<float>();
            var t1 = clock.Elapsed.TotalSeconds;
            loss.backward();
            var t2 = clock.Elapsed.TotalSeconds;
            optimizer.Apply(1e-3);
            var t3 = clock.Elapsed.TotalSeconds;
            if (step < 0)
                continue;
            seconds[0] += t0;
            seconds[1] += t1 - t0;
            seconds[2] += t2 - t1;
            seconds[3] += t3 - t2;
        }
        double total = seconds.Sum();
        var parts = phases.Select((name, i) => string.Create(CultureInfo.InvariantCulture, $"{name} {1000 * seconds[i] / steps:F1} ms ({100 * seconds[i] / total:F0}%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {1000 * total / steps:F1} ms: ") + string.Join(", ", parts));
        return 0;
    }
}
