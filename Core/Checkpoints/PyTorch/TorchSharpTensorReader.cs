namespace Experiments.Core.Checkpoints.PyTorch;

/// <summary>
/// Reads one tensor as TorchSharp's <c>Tensor.Save(BinaryWriter)</c> writes it: element type, rank and each dimension
/// as unsigned LEB128, then the contiguous little-endian data. Lets processes without libtorch (the Dashboard) read
/// checkpoints; test <c>ReadsWhatTorchSharpWrites</c> holds it to TorchSharp's own writer.
/// </summary>
public static class TorchSharpTensorReader
{
    // A bound on what a checkpoint entry may claim, so a corrupt file fails clearly instead of allocating wildly.
    private const long MaxBytes = 1L << 31;

    public static StoredTensor Read(BinaryReader reader, string name)
    {
        var element = (TensorElement)checked((int)ReadLeb128(reader));
        if (!TensorElements.IsKnown(element))
            throw new InvalidDataException($"Checkpoint entry '{name}' has element type {(int)element}, which is not supported.");
        long rank = ReadLeb128(reader);
        if (rank > 16)
            throw new InvalidDataException($"Checkpoint entry '{name}' claims {rank} dimensions.");
        var shape = new long[rank];
        for (int i = 0; i < rank; i++)
            shape[i] = ReadLeb128(reader);
        long bytes = shape.Aggregate(1L, (a, b) => checked(a * b)) * TensorElements.Size(element);
        if (bytes > MaxBytes)
            throw new InvalidDataException($"Checkpoint entry '{name}' claims {bytes} bytes.");
        var data = reader.ReadBytes((int)bytes);
        if (data.Length != bytes)
            throw new EndOfStreamException($"Checkpoint entry '{name}' is cut short.");
        return new StoredTensor(name, element, shape, data);
    }

    private static long ReadLeb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException("A LEB128 number in the checkpoint is too long.");
    }
}
