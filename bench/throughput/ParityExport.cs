using System.Collections;
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
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        string folder = a.String("out", "bench-parity");
        int batch = a.Int("batch", 8);
        set_num_threads(a.Int("threads", 2));
        Directory.CreateDirectory(folder);

        manual_seed(0);
        using var model = new ResNet34(3, 10, a.String("stem", "imagenet") == "cifar" ? ResNetStem.Cifar : ResNetStem.ImageNet);
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
