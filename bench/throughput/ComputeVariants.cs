using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Model;
using Experiments.Worker.Training.Optimization;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>
/// Forward + backward of the same model and batch under each compute variant (libtorch's convs in fp32, convs on 1x1
/// maps as GEMMs, bf16), interleaved per round; wall and process CPU time (CPU time is steadier on a busy machine).
/// Then each variant's eval logits against the plain fp32 ones. The evidence behind Worker/Training/README.md.
/// </summary>
internal static class ComputeVariants
{
    public static Command Command()
    {
        Option<int> batchOption = BenchOptions.Batch(128), stepsOption = BenchOptions.Steps(4), threadsOption = BenchOptions.Threads();
        var command = BenchOptions.Command("compute-variants", "Forward+backward time of each compute variant, interleaved", batchOption, stepsOption, threadsOption);
        command.SetAction(parsed => Run(parsed.GetValue(batchOption), parsed.GetValue(stepsOption), parsed.GetValue(threadsOption)));
        return command;
    }

    private static int Run(int batch, int steps, int threads)
    {
        set_num_threads(threads);
        manual_seed(0);
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        using var flat = new FlatParameters([.. model.parameters()]);
        using var input = randn(batch, 3, 32, 32);
        using var labels = randint(0, 10, [batch], ScalarType.Int64);
        model.train();
        var variants = new (string Name, bool Unroll, ScalarType? Type)[]
        {
            ("base", false, null), ("unroll", true, null), ("bf16", true, ScalarType.BFloat16),
        };
        var sums = new double[variants.Length];
        var cpu = new double[variants.Length];
        var process = System.Diagnostics.Process.GetCurrentProcess();
        for (int round = -1; round < steps; round++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                model.Compute.UnrollTinyConvolutions = variants[v].Unroll;
                model.Compute.LowPrecision = variants[v].Type;
                using var scope = NewDisposeScope();
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                flat.ZeroGrad();
                var loss = nn.functional.cross_entropy(model.call(input), labels);
                loss.backward();
                process.Refresh();
                if (round >= 0)
                {
                    sums[v] += clock.Elapsed.TotalSeconds;
                    cpu[v] += (process.TotalProcessorTime - cpu0).TotalSeconds;
                }
            }
        }
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variants[v].Name}: fwd+bwd {1000 * sums[v] / steps:F1} ms, ratio to base {sums[0] / sums[v]:F3}; cpu {1000 * cpu[v] / steps:F1} ms, ratio {cpu[0] / cpu[v]:F3}"));
        using (var noGrad = no_grad())
        {
            model.eval();
            model.Compute.UnrollTinyConvolutions = false;
            model.Compute.LowPrecision = null;
            using var a = model.call(input);
            for (int v = 1; v < variants.Length; v++)
            {
                model.Compute.UnrollTinyConvolutions = variants[v].Unroll;
                model.Compute.LowPrecision = variants[v].Type;
                using var b = model.call(input);
                Console.WriteLine($"{variants[v].Name} eval logits max diff {(a - b).abs().max().item<float>():E3} (max {a.abs().max().item<float>():F3})");
            }
        }
        return 0;
    }
}
