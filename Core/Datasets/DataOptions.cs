using Experiments.Core.Datasets.Files;

namespace Experiments.Core.Datasets;

/// <summary>Where data sets live and whether they may be downloaded; bound from the <c>Data</c> section.</summary>
public sealed class DataOptions
{
    public const string SectionName = "Data";

    /// <summary>Root folder for data sets (the repository's <c>datasets/</c> when run from the AppHost).</summary>
    public string Root { get; set; } = "datasets";

    /// <summary>When false, a missing data set fails with a message naming the file to place instead of downloading.</summary>
    public bool AllowDownload { get; set; } = true;

    /// <summary>Overrides the CIFAR-10 archive address (tests serve one on loopback).</summary>
    public Uri? Cifar10Url { get; set; }

    /// <summary>Overrides the Fashion-MNIST base address (the four gzip IDX files are fetched under it).</summary>
    public Uri? FashionMnistBaseUrl { get; set; }

    /// <summary>Folders searched before downloading Fashion-MNIST (Debian's dataset-fashion-mnist package installs here).</summary>
    public IList<string> FashionMnistSystemFolders { get; set; } = ["/usr/share/datasets/fashion-mnist"];

    /// <summary>A download that receives nothing for this long fails (and leaves nothing behind).</summary>
    public TimeSpan DownloadStallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    // Test hooks: the published checksums and sizes hold for the official files only; tests serve small files of their own.
    internal string Cifar10ArchiveMd5 { get; set; } = Cifar10Layout.ArchiveMd5;

    internal int Cifar10RecordsPerBatch { get; set; } = Cifar10Layout.RecordsPerBatch;

    internal IReadOnlyDictionary<string, string> FashionMnistMd5 { get; set; } = FashionMnistLayout.PublishedMd5;
}
