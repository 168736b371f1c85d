using System.Text;
using TorchSharp;
using System.Text.Json;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Checkpointing;

/// <summary>Scalars saved with a checkpoint: where training stood after <see cref="Epoch"/> and that epoch's metrics.</summary>
public sealed record CheckpointHeader(int Epoch, long OptimizerStep, double? BestValAccuracy, int BestEpoch, EpochMetrics Metrics);

/// <summary>
/// Everything needed to continue a trial bit-exactly: model parameters and buffers, optimizer state and step,
/// the shuffle and augmentation generator states, the best metric so far and the checkpointed epoch's metrics.
/// Format: magic, version, JSON header, then named tensors (TorchSharp's tensor serialization).
/// </summary>
public sealed class TrainingCheckpoint : IDisposable
{
    // Shared with Core, which reads the model part without libtorch (the Dashboard's model.pt export).
    private const string Magic = CheckpointFormat.Magic;
    private const int FormatVersion = CheckpointFormat.Version;

    public TrainingCheckpoint(CheckpointHeader header, Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, Tensor shuffleState, Tensor augmentationState)
    {
        Header = header;
        Model = model;
        Optimizer = optimizer;
        ShuffleState = shuffleState;
        AugmentationState = augmentationState;
    }

    public CheckpointHeader Header { get; }
    public Dictionary<string, Tensor> Model { get; }
    public Dictionary<string, Tensor> Optimizer { get; }
    public Tensor ShuffleState { get; }
    public Tensor AugmentationState { get; }

    /// <summary>Writes the given live tensors (any device) without taking ownership of them.</summary>
    public static void Write(Stream stream, CheckpointHeader header, IEnumerable<(string Name, Tensor Value)> model,
        IReadOnlyDictionary<string, Tensor> optimizer, Tensor shuffleState, Tensor augmentationState)
    {
        using var scope = NewDisposeScope();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(JsonSerializer.Serialize(header));
        WriteTensors(writer, [.. model]);
        WriteTensors(writer, [.. optimizer.Select(p => (p.Key, p.Value))]);
        shuffleState.cpu().Save(writer);
        augmentationState.cpu().Save(writer);
    }

    /// <summary>Reads a checkpoint onto the CPU; the caller copies tensors where they belong and disposes this.</summary>
    public static TrainingCheckpoint Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
            throw new InvalidDataException("Not a training checkpoint.");
        int version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"Checkpoint format {version} is not supported (expected {FormatVersion}).");
        var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString())
            ?? throw new InvalidDataException("Checkpoint header is empty.");
        var model = ReadTensors(reader);
        var optimizer = ReadTensors(reader);
        var shuffle = TensorExtensionMethods.Load(reader);
        var augmentation = TensorExtensionMethods.Load(reader);
        return new TrainingCheckpoint(header, model, optimizer, shuffle, augmentation);
    }

    private static void WriteTensors(BinaryWriter writer, IReadOnlyList<(string Name, Tensor Value)> tensors)
    {
        writer.Write(tensors.Count);
        foreach (var (name, value) in tensors)
        {
            writer.Write(name);
            value.detach().cpu().Save(writer);
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var tensors = new Dictionary<string, Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            tensors[name] = TensorExtensionMethods.Load(reader);
        }
        return tensors;
    }

    public void Dispose()
    {
        foreach (var tensor in Model.Values.Concat(Optimizer.Values))
            tensor.Dispose();
        ShuffleState.Dispose();
        AugmentationState.Dispose();
    }
}
