using System.Buffers.Binary;
using System.IO.Compression;

namespace Experiments.Worker.Tests.Data;

/// <summary>IDX files as Fashion-MNIST ships them (big-endian header, unsigned bytes), gzip-compressed or plain.</summary>
internal static class IdxTestFiles
{
    public static byte Pixel(int image, int position) => (byte)(image * 31 + position);

    public static byte Label(int image) => (byte)((image * 3) % 10);

    public static byte[] Images(int count, int rows = 28, int columns = 28, int? declaredCount = null, int magic = 0x00000803)
    {
        var data = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(data, magic);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), declaredCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), columns);
        for (var image = 0; image < count; image++)
            for (var position = 0; position < rows * columns; position++)
                data[16 + image * rows * columns + position] = Pixel(image, position);
        return data;
    }

    public static byte[] Labels(int count, int magic = 0x00000801)
    {
        var data = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(data, magic);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), count);
        for (var image = 0; image < count; image++)
            data[8 + image] = Label(image);
        return data;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>The four files in gzip form, by their published names.</summary>
    public static Dictionary<string, byte[]> GzipSet(int trainCount, int testCount) => new()
    {
        ["train-images-idx3-ubyte.gz"] = Gzip(Images(trainCount)),
        ["train-labels-idx1-ubyte.gz"] = Gzip(Labels(trainCount)),
        ["t10k-images-idx3-ubyte.gz"] = Gzip(Images(testCount)),
        ["t10k-labels-idx1-ubyte.gz"] = Gzip(Labels(testCount)),
    };

    public static void Write(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, data) in files)
            File.WriteAllBytes(Path.Combine(folder, name), data);
    }
}
