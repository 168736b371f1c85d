namespace Experiments.Worker.Training.Data;

/// <summary>Fashion-MNIST gzip IDX files from the data root, the Debian package's folder, or a download.</summary>
public static class FashionMnistFiles
{
    public static Task<RawDataset> LoadAsync(DataOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
        => throw new NotImplementedException("The data-loading change fills this in.");
}
