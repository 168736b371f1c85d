using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Core.CommandLine;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Data;
using Experiments.Worker.Training.Model;
using Experiments.Worker.Training.Optimization;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>Training images/s of our step (normalise, forward, loss, backward, Adam) at the notebook's shape.</summary>
internal static class TrainingThroughput
{
    public static Command Command()
    {
        Option<int> batchOption = BenchOptions.Batch(128), stepsOption = BenchOptions.Steps(8), threadsOption = BenchOptions.Threads();
        var precisionOption = CommandLineOptions.Optional<Precision>(
            "--precision", "fp32 (default) or bf16", text => Spelling<Precision>.TryParse(text, out var precision) ? (true, precision) : (false, default), string.Join(" or ", Spelling<Precision>.Names));
        var command = BenchOptions.Command("throughput", "Training images/s of one step at the notebook's shape", batchOption, stepsOption, threadsOption, precisionOption);
        command.SetAction(parsed => Run(parsed.GetValue(batchOption), parsed.GetValue(stepsOption), parsed.GetValue(threadsOption), parsed.GetValue(precisionOption) ?? Precision.Fp32));
        return command;
    }

    private static int Run(int batch, int steps, int threads, Precision precision)
    {
        set_num_threads(threads);
        if (precision == Precision.Bf16 && Worker.Training.Bf16Support.Problem("cpu") is { } problem)
        {
            Console.Error.WriteLine($"precision: bf16 {problem}");
            return 2;
        }
        manual_seed(0);
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        model.Compute.LowPrecision = precision == Precision.Bf16 ? ScalarType.BFloat16 : null;
        using var flat = new FlatParameters([.. model.parameters()]);
        using var optimizer = FlatOptimizer.Create(new TrainingConfig(), flat);
        using var images = randint(0, 256, [batch, 3, 32, 32], ScalarType.Byte);
        using var labels = randint(0, 10, [batch], ScalarType.Int64);
        using var mean = full([3], 0.5f);
        using var std = full([3], 0.25f);
        model.train();

        double optimizerSeconds = 0;
        var clock = new Stopwatch();
        for (int step = -2; step < steps; step++)
        {
            if (step == 0)
                clock.Restart();
            using var scope = NewDisposeScope();
            flat.ZeroGrad();
            var loss = nn.functional.cross_entropy(model.call(BatchAugmentation.Normalize(images, mean, std)), labels);
            loss.backward();
            var update = Stopwatch.StartNew();
            optimizer.Apply(1e-3);
            if (step >= 0)
                optimizerSeconds += update.Elapsed.TotalSeconds;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"images_per_second {batch * steps / seconds:F1} adam_ms {1000 * optimizerSeconds / steps:F1}"));
        return 0;
    }
}
