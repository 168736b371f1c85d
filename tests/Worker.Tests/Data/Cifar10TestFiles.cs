using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Experiments.Worker.Tests.Data;

/// <summary>Small CIFAR-10 binary batches and archives in the official layout, with pixels derived from the record's index.</summary>
internal static class Cifar10TestFiles
{
    public const int RecordBytes = 1 + 3 * 32 * 32;
    public static readonly string[] BatchNames = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];
    public static readonly string[] MetaNames = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Label of record <paramref name="index"/> (counted across all six batches).</summary>
    public static byte Label(int index) => (byte)(index % 10);

    /// <summary>Value of one pixel: each plane and position differs, so a C/H/W mix-up changes it.</summary>
    public static byte Pixel(int index, int channel, int position) => (byte)(index * 7 + channel * 50 + position % 13);

    public static byte[] Batch(int firstIndex, int records)
    {
        var data = new byte[records * RecordBytes];
        for (var record = 0; record < records; record++)
        {
            var offset = record * RecordBytes;
            data[offset] = Label(firstIndex + record);
            for (var channel = 0; channel < 3; channel++)
                for (var position = 0; position < 1024; position++)
                    data[offset + 1 + channel * 1024 + position] = Pixel(firstIndex + record, channel, position);
        }
        return data;
    }

    /// <summary>The files of <c>cifar-10-batches-bin/</c>, by name.</summary>
    public static Dictionary<string, byte[]> Folder(int recordsPerBatch, bool withMeta = true)
    {
        var files = BatchNames.Select((name, batch) => (name, data: Batch(batch * recordsPerBatch, recordsPerBatch)))
            .ToDictionary(file => file.name, file => file.data);
        if (withMeta)
            files["batches.meta.txt"] = System.Text.Encoding.ASCII.GetBytes(string.Join('\n', MetaNames) + "\n\n");
        return files;
    }

    public static void WriteFolder(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, data) in files)
            File.WriteAllBytes(Path.Combine(folder, name), data);
    }

    /// <summary>A tar.gz whose single top folder is <c>cifar-10-batches-bin/</c>, as the official archive.</summary>
    public static byte[] Archive(IReadOnlyDictionary<string, byte[]> files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            foreach (var (name, data) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"cifar-10-batches-bin/{name}") { DataStream = new MemoryStream(data) });
        }
        return output.ToArray();
    }

    public static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
}
