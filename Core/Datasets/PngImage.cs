using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Experiments.Core.Datasets;

/// <summary>
/// Encodes one data set image (uint8, channels x height x width, as the trainer holds it) as a PNG: 8-bit grey for
/// one channel, RGB for three. The stored bytes are the image before normalisation, i.e. exactly what denormalising a
/// training input gives back. Small images stay at their size; the page scales them without smoothing.
/// </summary>
public static class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public const string ContentType = "image/png";

    /// <summary>Image <paramref name="index"/> of the set.</summary>
    public static byte[] Of(RawImageSet set, int index)
    {
        int bytes = set.Channels * set.Height * set.Width;
        return Encode(set.Pixels.AsSpan(checked(index * bytes), bytes), set.Channels, set.Height, set.Width);
    }

    public static byte[] Encode(ReadOnlySpan<byte> planar, int channels, int height, int width)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "a PNG here has 1 (grey) or 3 (RGB) channels");
        if (planar.Length != channels * height * width)
            throw new ArgumentException($"{planar.Length} bytes are not a {channels}x{height}x{width} image.", nameof(planar));

        // Scanlines: filter byte 0 (none), then the row's pixels interleaved (RGBRGB...).
        int stride = 1 + (width * channels);
        var raw = new byte[height * stride];
        int plane = height * width;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    raw[(y * stride) + 1 + (x * channels) + c] = planar[(c * plane) + (y * width) + x];

        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = channels == 1 ? (byte)0 : (byte)2; // colour type: grey or RGB
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", Compress(raw));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Compress(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    // The CRC-32 PNG specifies (ISO 3309, reflected polynomial 0xEDB88320), over the chunk's type and data.
    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
