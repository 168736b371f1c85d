using Experiments.Core.Specs;

namespace Experiments.Core.Datasets;

/// <summary>
/// The facts about every data set a trial can name: shapes, sizes, classes, channel statistics, and how a config
/// splits it. The validator, the trainer and the Dashboard's estimates all read them here.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>
    /// Most bytes one trial's decoded images may take (train + validation + test, uint8): it bounds
    /// <c>synthetic_size</c>, the one size a config chooses. CIFAR-10 is 184 MB, far below it. A worker holds a small
    /// multiple at its peak (the decoded arrays, the device copy, the split), so a trial at the bound needs ~3-4 GiB.
    /// </summary>
    public const long ImageMemoryBudget = 1L << 30;

    /// <summary>Fewest synthetic training images: a tenth of it is still one validation and one test image.</summary>
    public const int MinSyntheticSize = 16;

    /// <summary>Fewest training images left after the validation split: BatchNorm cannot train on a batch of one.</summary>
    public const int MinTrainImages = 2;

    private static readonly DatasetFacts Cifar10 = new(
        Dataset.Cifar10, new ImageShape(3, 32, 32),
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
        TrainImages: 50_000, TestImages: 10_000,
        ChannelMean: [0.4914, 0.4822, 0.4465], ChannelStd: [0.2470, 0.2435, 0.2616]);

    private static readonly DatasetFacts FashionMnist = new(
        Dataset.FashionMnist, new ImageShape(1, 28, 28),
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        TrainImages: 60_000, TestImages: 10_000,
        ChannelMean: [0.2860], ChannelStd: [0.3530]);

    private static readonly DatasetFacts Synthetic = new(
        Dataset.Synthetic, new ImageShape(3, 32, 32),
        [.. Enumerable.Range(0, 10).Select(c => $"class{c}")],
        TrainImages: null, TestImages: null, ChannelMean: null, ChannelStd: null);

    public static IReadOnlyList<DatasetFacts> All { get; } = [Cifar10, FashionMnist, Synthetic];

    /// <summary>Largest <c>synthetic_size</c> whose images (with their validation and test tenths) fit <see cref="ImageMemoryBudget"/>.</summary>
    public static int MaxSyntheticSize { get; } = LargestSyntheticSize();

    public static DatasetFacts Of(Dataset dataset) => dataset switch
    {
        Dataset.Cifar10 => Cifar10,
        Dataset.FashionMnist => FashionMnist,
        Dataset.Synthetic => Synthetic,
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "not a data set"),
    };

    /// <summary>
    /// The trial's train / validation / test images. Files: <c>validation_size</c> held out of the official training
    /// part. Synthetic: <c>synthetic_size</c> training images, a tenth of that (at least one) each for validation and test.
    /// </summary>
    public static SplitSizes Split(TrainingConfig config)
    {
        if (config.Dataset == Dataset.Synthetic)
        {
            var tenth = SyntheticTenth(config.SyntheticSize);
            return new SplitSizes(config.SyntheticSize, tenth, tenth);
        }

        var facts = Of(config.Dataset);
        return new SplitSizes(facts.TrainImages!.Value - config.ValidationSize, config.ValidationSize, facts.TestImages!.Value);
    }

    /// <summary>Bytes of the trial's decoded images, all splits.</summary>
    public static long ImageBytes(TrainingConfig config) => (long)Split(config).Total * Of(config.Dataset).Shape.Bytes;

    private static int SyntheticTenth(int syntheticSize) => Math.Max(1, syntheticSize / 10);

    private static int LargestSyntheticSize()
    {
        var images = ImageMemoryBudget / Synthetic.Shape.Bytes;
        var size = (int)(images * 10 / 12); // n + 2n/10 images; rounding down errs on the safe side, then step up.
        while ((long)(size + 1 + (2 * SyntheticTenth(size + 1))) <= images)
        {
            size++;
        }

        return size;
    }
}
