using System.Globalization;

namespace Experiments.Core.Datasets.Files;

/// <summary>Reads CIFAR-10 binary batch files (label byte + 3072 pixel bytes per record) and the class-name file.</summary>
internal static class Cifar10BatchFile
{
    /// <summary>Reads the given batches, in order, into one image set.</summary>
    public static async Task<RawImageSet> ReadAsync(
        string folder, IReadOnlyList<string> batchNames, int recordsPerBatch, IReadOnlyList<string> classNames,
        CancellationToken cancellationToken)
    {
        var count = batchNames.Count * recordsPerBatch;
        var pixels = new byte[(long)count * Cifar10Layout.Shape.Bytes];
        var labels = new long[count];
        for (var batch = 0; batch < batchNames.Count; batch++)
        {
            var path = Path.Combine(folder, batchNames[batch]);
            var data = await ReadCheckedAsync(path, recordsPerBatch, cancellationToken);
            CopyRecords(path, data, pixels, labels, batch * recordsPerBatch, classNames.Count);
        }
        return new RawImageSet(pixels, labels, Cifar10Layout.Shape.Channels, Cifar10Layout.Shape.Height, Cifar10Layout.Shape.Width, classNames);
    }

    /// <summary>The names in <c>batches.meta.txt</c> (one per line); the standard ten when the file is missing or odd.</summary>
    public static async Task<IReadOnlyList<string>> ReadClassNamesAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, Cifar10Layout.MetaFileName);
        if (!File.Exists(path))
            return Cifar10Layout.StandardClassNames;
        var names = (await File.ReadAllLinesAsync(path, cancellationToken))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToArray();
        return names.Length == Cifar10Layout.StandardClassNames.Count ? names : Cifar10Layout.StandardClassNames;
    }

    private static async Task<byte[]> ReadCheckedAsync(string path, int recordsPerBatch, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The CIFAR-10 batch {path} is missing. Delete the folder {Path.GetDirectoryName(path)} so it is extracted again, or put the file there.",
                path);
        var expected = (long)recordsPerBatch * Cifar10Layout.RecordBytes;
        var length = new FileInfo(path).Length;
        if (length != expected)
            throw new InvalidDataException(DescribeWrongSize(path, length, expected, recordsPerBatch));
        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    private static string DescribeWrongSize(string path, long length, long expected, int recordsPerBatch)
    {
        var shape = length % Cifar10Layout.RecordBytes == 0
            ? $"{length / Cifar10Layout.RecordBytes} whole records"
            : $"{length / Cifar10Layout.RecordBytes} whole records and a cut-off one";
        var verdict = length < expected ? "truncated" : "too long";
        return string.Create(CultureInfo.InvariantCulture,
            $"The CIFAR-10 batch {path} is {verdict}: {length} bytes ({shape}), expected {expected} bytes ({recordsPerBatch} records of {Cifar10Layout.RecordBytes} bytes). Delete the folder {Path.GetDirectoryName(path)} so it is extracted again.");
    }

    private static void CopyRecords(string path, byte[] data, byte[] pixels, long[] labels, int firstIndex, int classCount)
    {
        var records = data.Length / Cifar10Layout.RecordBytes;
        for (var record = 0; record < records; record++)
        {
            var offset = record * Cifar10Layout.RecordBytes;
            var label = data[offset];
            if (label >= classCount)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The CIFAR-10 batch {path} is corrupt: record {record} has label {label}, expected 0..{classCount - 1}."));
            labels[firstIndex + record] = label;
            Buffer.BlockCopy(data, offset + 1, pixels, (firstIndex + record) * Cifar10Layout.Shape.Bytes, Cifar10Layout.Shape.Bytes);
        }
    }
}
