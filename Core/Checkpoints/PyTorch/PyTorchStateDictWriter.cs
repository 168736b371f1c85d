using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Experiments.Core.Checkpoints.PyTorch;

/// <summary>
/// Writes a state dict in the format <c>torch.save(model.state_dict(), f)</c> produces and <c>torch.load</c> reads
/// (PyTorch 1.6 and later, including <c>weights_only=True</c>): a zip holding <c>data.pkl</c> (a protocol-2 pickle of an
/// <c>OrderedDict</c> of name -> <c>torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict())</c>,
/// each storage a persistent id <c>('storage', torch.FloatStorage, key, 'cpu', numel)</c>), one <c>data/&lt;key&gt;</c>
/// record of raw little-endian bytes per tensor, and <c>version</c>. Only the globals torch's safe loader allows appear.
/// </summary>
public static class PyTorchStateDictWriter
{
    private const string Archive = "archive";

    // Python's pickler emits SETITEMS in batches of this size; any size loads, this one matches what torch.save writes.
    private const int SetItemsBatch = 1000;

    public static void Write(Stream destination, IReadOnlyList<StoredTensor> tensors)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        // Stored, not deflated: as torch.save writes it, and no work for 85 MB of incompressible floats.
        WriteEntry(zip, "data.pkl", Pickle(tensors));
        for (int i = 0; i < tensors.Count; i++)
            WriteEntry(zip, $"data/{i}", tensors[i].Data);
        WriteEntry(zip, "version", "3\n"u8.ToArray());
        WriteEntry(zip, "byteorder", "little"u8.ToArray());
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] data)
    {
        var entry = zip.CreateEntry($"{Archive}/{name}", CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(data);
    }

    private static byte[] Pickle(IReadOnlyList<StoredTensor> tensors)
    {
        var pickle = new PickleBuilder();
        pickle.Proto();
        pickle.EmptyOrderedDict();
        for (int start = 0; start < tensors.Count; start += SetItemsBatch)
        {
            pickle.Mark();
            for (int i = start; i < Math.Min(tensors.Count, start + SetItemsBatch); i++)
            {
                var tensor = tensors[i];
                pickle.Unicode(tensor.Name);
                pickle.Global("torch._utils", "_rebuild_tensor_v2");
                pickle.Mark();
                // The storage, by reference to its data/<key> record.
                pickle.Mark();
                pickle.Unicode("storage");
                pickle.Global("torch", TensorElements.StorageClass(tensor.Element));
                pickle.Unicode(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                pickle.Unicode("cpu");
                pickle.Int(tensor.Count);
                pickle.Tuple();
                pickle.PersistentId();
                pickle.Int(0); // storage offset
                pickle.IntTuple(tensor.Shape);
                pickle.IntTuple(ContiguousStrides(tensor.Shape));
                pickle.False(); // requires_grad
                pickle.EmptyOrderedDict(); // backward hooks
                pickle.Tuple();
                pickle.Reduce();
            }
            pickle.SetItems();
        }
        pickle.Stop();
        return pickle.ToArray();
    }

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    /// <summary>The few pickle opcodes a state dict needs (names as in CPython's pickletools).</summary>
    private sealed class PickleBuilder
    {
        private readonly MemoryStream buffer = new();

        public void Proto() => Bytes(0x80, 0x02);
        public void Mark() => Bytes((byte)'(');
        public void Tuple() => Bytes((byte)'t');
        public void Reduce() => Bytes((byte)'R');
        public void SetItems() => Bytes((byte)'u');
        public void PersistentId() => Bytes((byte)'Q');
        public void False() => Bytes(0x89);
        public void Stop() => Bytes((byte)'.');

        public void EmptyOrderedDict()
        {
            Global("collections", "OrderedDict");
            Bytes((byte)')'); // EMPTY_TUPLE
            Reduce();
        }

        public void Global(string module, string name) => Ascii($"c{module}\n{name}\n");

        public void Unicode(string value)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            Bytes((byte)'X');
            UInt32((uint)utf8.Length);
            buffer.Write(utf8);
        }

        public void Int(long value)
        {
            if (value is >= 0 and <= byte.MaxValue)
            {
                Bytes((byte)'K', (byte)value);
            }
            else if (value is >= 0 and <= ushort.MaxValue)
            {
                Bytes((byte)'M', (byte)value, (byte)(value >> 8));
            }
            else if (value is >= int.MinValue and <= int.MaxValue)
            {
                Bytes((byte)'J');
                UInt32((uint)(int)value);
            }
            else
            {
                // LONG1: length, then two's complement little-endian.
                Bytes(0x8a, 8);
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
                buffer.Write(bytes);
            }
        }

        public void IntTuple(long[] values)
        {
            Mark();
            foreach (var value in values)
                Int(value);
            Tuple();
        }

        public byte[] ToArray() => buffer.ToArray();

        private void UInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            buffer.Write(bytes);
        }

        private void Ascii(string text) => buffer.Write(Encoding.ASCII.GetBytes(text));

        private void Bytes(params ReadOnlySpan<byte> bytes) => buffer.Write(bytes);
    }
}
