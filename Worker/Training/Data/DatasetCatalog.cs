using Experiments.Core.Specs;

namespace Experiments.Worker.Training.Data;

/// <summary>Maps a trial's <c>dataset</c> name to its loader.</summary>
public static class DatasetCatalog
{
    public static readonly IReadOnlyList<string> Names = ["cifar10", "fashion_mnist", "synthetic"];

    public static Task<RawDataset> LoadAsync(TrainingConfig config, DataOptions options, IProgress<string>? progress, CancellationToken cancellationToken) =>
        config.Dataset switch
        {
            "cifar10" => Cifar10Files.LoadAsync(options, progress, cancellationToken),
            "fashion_mnist" => FashionMnistFiles.LoadAsync(options, progress, cancellationToken),
            "synthetic" => Task.FromResult(SyntheticDataset.Create(
                config.SyntheticSize + SyntheticValidationSize(config), Math.Max(1, config.SyntheticSize / 10), config.Seed)),
            _ => throw new ArgumentException($"Unknown dataset '{config.Dataset}' ({string.Join(", ", Names)}).", nameof(config)),
        };

    /// <summary>Images held out for validation: the config's count, or a tenth of the synthetic size.</summary>
    public static int ValidationSize(TrainingConfig config) =>
        config.Dataset == "synthetic" ? SyntheticValidationSize(config) : config.ValidationSize;

    private static int SyntheticValidationSize(TrainingConfig config) => Math.Max(1, config.SyntheticSize / 10);
}
