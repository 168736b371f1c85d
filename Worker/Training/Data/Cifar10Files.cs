namespace Experiments.Worker.Training.Data;

/// <summary>CIFAR-10 (binary version) from <c>&lt;root&gt;/cifar-10-batches-bin/</c>, downloaded and verified when missing.</summary>
public static class Cifar10Files
{
    public static Task<RawDataset> LoadAsync(DataOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
        => throw new NotImplementedException("The data-loading change fills this in.");
}
