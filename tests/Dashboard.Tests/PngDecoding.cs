using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// Reads back an 8-bit grey or RGB PNG as a reader must (signature, chunk CRCs, IHDR, all IDAT data inflated, every
/// scanline's filter undone), returning the image planar (channels x height x width) like the data sets hold it.
/// </summary>
internal static class PngDecoding
{
    public static (int Channels, int Height, int Width, byte[] Planar) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int position = 8, width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        while (true)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(position + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length)));
            position += 12 + length;
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 0 => 1, 2 => 3, var other => throw new InvalidDataException($"colour type {other}") };
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), raw.Length);
        var rows = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? rows[(y * stride) + x - channels] : 0;
                int b = y > 0 ? rows[((y - 1) * stride) + x] : 0;
                int c = x >= channels && y > 0 ? rows[((y - 1) * stride) + x - channels] : 0;
                int value = raw[(y * (stride + 1)) + 1 + x];
                rows[(y * stride) + x] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + ((a + b) / 2),
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                });
            }
        }

        var planar = new byte[rows.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int ch = 0; ch < channels; ch++)
                    planar[(ch * height * width) + (y * width) + x] = rows[(y * stride) + (x * channels) + ch];
        return (channels, height, width, planar);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
