using System.Collections;
using System.CommandLine;
using Experiments.Core.CommandLine;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Experiments.Throughput;

/// <summary>
/// Writes our initial ResNet-34 weights (PyTorch format), a fixed input batch, our logits and one training step's
/// gradients, so bench/parity/compare.py can run the same weights in PyTorch and diff the results.
/// </summary>
internal static class ParityExport
{
    public static Command Command()
    {
        var outOption = CommandLineOptions.Folder("--out", "Where weights.pt and ours.pt go", "bench-parity");
        var stemOption = CommandLineOptions.Optional<ResNetStem>(
            "--stem", "The model's stem (default imagenet)", text => Spelling<ResNetStem>.TryParse(text, out var stem) ? (true, stem) : (false, default), string.Join(" or ", Spelling<ResNetStem>.Names));
        Option<int> batchOption = BenchOptions.Batch(8), threadsOption = BenchOptions.Threads();
        var command = BenchOptions.Command("parity-export", "Our weights, a batch, our logits and gradients, for bench/parity/compare.py", outOption, stemOption, batchOption, threadsOption);
        command.SetAction(parsed => Run(parsed.GetValue(outOption)!.FullName, parsed.GetValue(stemOption) ?? ResNetStem.ImageNet, parsed.GetValue(batchOption), parsed.GetValue(threadsOption)));
        return command;
    }

    private static int Run(string folder, ResNetStem stem, int batch, int threads)
    {
        set_num_threads(threads);
        Directory.CreateDirectory(folder);

        manual_seed(0);
        using var model = new ResNet34(3, 10, stem);
        model.save_py(Path.Combine(folder, "weights.pt"));

        using var input = randn(batch, 3, 32, 32);
        using var labels = randint(0, 10, [batch], ScalarType.Int64);
        model.train();
        using var logits = model.call(input);
        using var loss = nn.functional.cross_entropy(logits, labels);
        loss.backward();

        var result = new Hashtable { ["input"] = input, ["labels"] = labels, ["logits"] = logits.detach(), ["loss"] = loss.detach() };
        foreach (var (name, parameter) in model.named_parameters())
            result["grad." + name] = parameter.grad!;
        PyTorchPickler.PickleStateDict(Path.Combine(folder, "ours.pt"), result);
        Console.WriteLine($"wrote {folder}/weights.pt and {folder}/ours.pt");
        return 0;
    }
}
