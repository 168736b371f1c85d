using System.Text;
using Experiments.Core.Checkpoints.PyTorch;

namespace Experiments.Core.Checkpoints;

/// <summary>
/// The layout of a training checkpoint file (<c>&lt;trial&gt;/&lt;best|last&gt;.ckpt</c>): magic, format version,
/// JSON header, then the model's named tensors (parameters and buffers, in state-dict order), then the optimizer's and
/// the generators'. The Worker writes and reads all of it; the model part is read here too, without libtorch, so the
/// Dashboard can hand a checkpoint out as a PyTorch state dict.
/// </summary>
public static class CheckpointFormat
{
    public const string Magic = "EXPERIMENTS-CHECKPOINT";
    public const int Version = 1;

    /// <summary>The model's state dict from a checkpoint stream (read up to the end of the model part only).</summary>
    public static IReadOnlyList<StoredTensor> ReadModel(Stream checkpoint)
    {
        using var reader = new BinaryReader(checkpoint, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
            throw new InvalidDataException("Not a training checkpoint.");
        int version = reader.ReadInt32();
        if (version != Version)
            throw new InvalidDataException($"Checkpoint format {version} is not supported (expected {Version}).");
        reader.ReadString(); // header
        int count = reader.ReadInt32();
        if (count is < 0 or > 100_000)
            throw new InvalidDataException($"Checkpoint claims {count} model entries.");
        var tensors = new List<StoredTensor>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            tensors.Add(TorchSharpTensorReader.Read(reader, name));
        }
        return tensors;
    }

    /// <summary>Writes a checkpoint's model as a PyTorch state dict (<see cref="PyTorchStateDictWriter"/>).</summary>
    public static void ExportModel(Stream checkpoint, Stream destination) =>
        PyTorchStateDictWriter.Write(destination, ReadModel(checkpoint));
}
