using System.Text.Json;
using Experiments.Core.Checkpoints;
using Experiments.Core.Checkpoints.PyTorch;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Worker.Tests.Peers;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Model;

/// <summary>
/// The model leaves as a PyTorch state dict (the Dashboard's <c>model.pt</c>, <c>train --export</c>): Debian's
/// python3-torch loads it into torchvision's resnet34 with strict=True and computes the same logits.
/// </summary>
public sealed class PyTorchExportTests : IDisposable
{
    private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "export-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public void ReadsWhatTorchSharpWrites()
    {
        using var scope = NewDisposeScope();
        Tensor[] tensors = [randn(3, 4, 5), tensor(7L), arange(300, dtype: ScalarType.Int64).reshape(20, 15), zeros(0)];
        foreach (var original in tensors)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                original.Save(writer);
            stream.Position = 0;
            using var reader = new BinaryReader(stream);

            var read = TorchSharpTensorReader.Read(reader, "t");

            Assert.Equal(original.shape, read.Shape);
            Assert.Equal((int)original.dtype, (int)read.Element);
            Assert.Equal(original.bytes.ToArray(), read.Data);
            Assert.Equal(stream.Length, stream.Position);
        }
    }

    [Fact]
    public void OurOwnPyTorchReaderGetsBackEveryEntry()
    {
        var model = Path.Combine(folder, "model.pt");
        using var scope = NewDisposeScope();
        using var resnet = new ResNet34(3, 10, ResNetStem.ImageNet);
        File.WriteAllBytes(model, ExportThroughACheckpoint(resnet));

        // TorchSharp.PyBridge's unpickler is what init_from reads .pt files with.
        var loaded = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(model);
        var expected = resnet.state_dict();
        Assert.Equal(expected.Count, loaded.Count);
        foreach (var (name, value) in expected)
            Assert.True(value.eq((Tensor)loaded[name]!).all().item<bool>(), name);
    }

    [Trait("Category", "Slow")] // runs ResNet-34 in PyTorch three times
    [SkippableTheory]
    [InlineData(ResNetStem.ImageNet, 3, 32)]
    [InlineData(ResNetStem.Cifar, 3, 32)]
    [InlineData(ResNetStem.Cifar, 1, 28)]
    public void TorchvisionsResNet34LoadsTheExportStrictlyAndGivesTheSameLogits(ResNetStem stem, int channels, int size)
    {
        TorchPeer.SkipUnlessAvailable();
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = new ResNet34(channels, 10, stem, WeightInit.PyTorch);
        // A few training-mode passes so BatchNorm's running statistics and counters are not their initial values.
        model.train();
        using (no_grad())
        {
            for (int i = 0; i < 3; i++)
                model.call(randn(8, channels, size, size).mul_(2).add_(0.5));
        }
        model.eval();
        var input = randn(4, channels, size, size);
        Tensor logits;
        using (no_grad())
            logits = model.call(input);

        var modelPath = Path.Combine(folder, "model.pt");
        var ioPath = Path.Combine(folder, "io.pt");
        File.WriteAllBytes(modelPath, ExportThroughACheckpoint(model));
        using (var io = File.Create(ioPath))
            PyTorchStateDictWriter.Write(io, [Stored("input", input), Stored("logits", logits)]);

        using var result = JsonDocument.Parse(TorchPeer.Run("torch_load_export.py", modelPath, ioPath, stem.ToSpelling(), channels.ToString(System.Globalization.CultureInfo.InvariantCulture), "10"));
        Assert.Equal(218, result.RootElement.GetProperty("entries").GetInt32());
        Assert.Equal(3, result.RootElement.GetProperty("tracked").GetInt32());
        double diff = result.RootElement.GetProperty("max_diff").GetDouble();
        Assert.True(diff < 1e-5, $"logits differ by {diff}");
    }

    /// <summary>Writes the model into a training checkpoint as the trainer does, then exports that file as the Dashboard does.</summary>
    private static byte[] ExportThroughACheckpoint(ResNet34 model)
    {
        using var checkpoint = new MemoryStream();
        using var shuffle = new Generator(1);
        using var augmentation = new Generator(2);
        var header = new CheckpointHeader(1, 10, 0.5, 1, new EpochMetrics(1, 1, 0.5, 1, 0.5, 0.001, 1, 100));
        TrainingCheckpoint.Write(checkpoint, header, model.state_dict().Select(p => (p.Key, p.Value)), new Dictionary<string, Tensor>(),
            shuffle.get_state(), augmentation.get_state());
        checkpoint.Position = 0;
        using var export = new MemoryStream();
        CheckpointFormat.ExportModel(checkpoint, export);
        return export.ToArray();
    }

    private static StoredTensor Stored(string name, Tensor tensor) =>
        new(name, (TensorElement)(int)tensor.dtype, tensor.shape, tensor.contiguous().bytes.ToArray());

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
