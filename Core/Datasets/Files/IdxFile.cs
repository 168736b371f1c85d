using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Experiments.Core.Datasets.Files;

/// <summary>Reads IDX files of unsigned bytes (big-endian header), gzip-compressed or plain; gzip is recognised by content.</summary>
internal static class IdxFile
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public sealed record Images(byte[] Pixels, int Count, int Rows, int Columns);

    public static async Task<Images> ReadImagesAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(path, cancellationToken);
        var header = await ReadHeaderAsync(stream, path, ImagesMagic, "image", dimensions: 3, cancellationToken);
        var (count, rows, columns) = (header[0], header[1], header[2]);
        var pixels = await ReadPayloadAsync(stream, path, (long)count * rows * columns, $"{count} images of {rows}x{columns}", cancellationToken);
        return new Images(pixels, count, rows, columns);
    }

    public static async Task<byte[]> ReadLabelsAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(path, cancellationToken);
        var header = await ReadHeaderAsync(stream, path, LabelsMagic, "label", dimensions: 1, cancellationToken);
        return await ReadPayloadAsync(stream, path, header[0], $"{header[0]} labels", cancellationToken);
    }

    private static async Task<Stream> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var signature = new byte[2];
        var read = await file.ReadAtLeastAsync(signature, signature.Length, throwOnEndOfStream: false, cancellationToken);
        file.Position = 0;
        var isGzip = read == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
        return isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static async Task<int[]> ReadHeaderAsync(Stream stream, string path, int expectedMagic, string kind, int dimensions, CancellationToken cancellationToken)
    {
        // The magic number first: a file of the wrong kind has a header of another length.
        var bytes = new byte[4 * (1 + dimensions)];
        var read = await ReadFullyAsync(stream, bytes.AsMemory(0, 4), path, cancellationToken);
        var magic = read == 4 ? BinaryPrimitives.ReadInt32BigEndian(bytes) : -1;
        if (read == 4 && magic != expectedMagic)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The file {path} is not an IDX {kind} file: magic number 0x{magic:X8}, expected 0x{expectedMagic:X8}."));
        if (read == 4)
            read += await ReadFullyAsync(stream, bytes.AsMemory(4), path, cancellationToken);
        if (read < bytes.Length)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The IDX {kind} file {path} is truncated: it ends inside its {bytes.Length}-byte header (after {read} bytes)."));
        var sizes = new int[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 * (i + 1)));
            if (sizes[i] < 0)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The IDX {kind} file {path} is corrupt: dimension {i} has negative size {sizes[i]}."));
        }
        return sizes;
    }

    private static async Task<byte[]> ReadPayloadAsync(Stream stream, string path, long length, string declared, CancellationToken cancellationToken)
    {
        if (length > Array.MaxLength)
            throw new InvalidDataException($"The IDX file {path} is corrupt: its header declares {declared}, more than an array can hold.");
        var payload = new byte[length];
        var read = await ReadFullyAsync(stream, payload, path, cancellationToken);
        if (read < length)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The IDX file {path} is truncated: its header declares {declared} ({length} bytes) but only {read} bytes follow."));
        if (await ReadFullyAsync(stream, new byte[1], path, cancellationToken) > 0)
            throw new InvalidDataException($"The IDX file {path} is corrupt: more data follows the {declared} its header declares.");
        return payload;
    }

    /// <summary>Reads until the buffer is full or the data ends; a damaged gzip stream is reported with the file's name.</summary>
    private static async Task<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"The file {path} is not readable gzip data: {exception.Message}", exception);
        }
    }
}
