using Experiments.Core.Specs;

namespace Experiments.Core.Datasets;

/// <summary>
/// A seeded stand-in for a real data set: each class has its own colour and stripe pattern under heavy noise, so a
/// model can learn it, but not from one pixel. Same seed, same bytes.
/// </summary>
public static class SyntheticDataset
{
    private static readonly DatasetFacts Facts = DatasetCatalog.Of(Dataset.Synthetic);
    private static readonly int ClassCount = Facts.ClassNames.Count;

    /// <summary>A trial's synthetic images: its training and validation parts in one set (split later), and its test part.</summary>
    public static RawDataset Create(SplitSizes sizes, int seed) =>
        Create(sizes.Train + sizes.Validation, sizes.Test, seed, Facts.Shape.Channels, Facts.Shape.Height);

    public static RawDataset Create(int trainCount, int testCount, int seed, int channels = 3, int size = 32)
    {
        var random = new Random(seed);
        var classColours = new double[ClassCount, channels];
        for (int c = 0; c < ClassCount; c++)
            for (int ch = 0; ch < channels; ch++)
                classColours[c, ch] = 60 + random.NextDouble() * 136;

        return new RawDataset(
            "synthetic",
            Generate(random, classColours, trainCount, channels, size, Facts.ClassNames),
            Generate(random, classColours, testCount, channels, size, Facts.ClassNames));
    }

    private static RawImageSet Generate(Random random, double[,] colours, int count, int channels, int size, IReadOnlyList<string> names)
    {
        var pixels = new byte[(long)count * channels * size * size];
        var labels = new long[count];
        long i = 0;
        for (int n = 0; n < count; n++)
        {
            int label = random.Next(ClassCount);
            labels[n] = label;
            // Stripe period and orientation differ per class; the phase is random per image.
            int period = 2 + label % 5;
            bool vertical = label >= 5;
            int phase = random.Next(period);
            for (int ch = 0; ch < channels; ch++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        int position = (vertical ? x : y) + phase;
                        double stripe = position / period % 2 == 0 ? 40 : -40;
                        double noise = (random.NextDouble() - 0.5) * 120;
                        pixels[i++] = (byte)Math.Clamp(colours[label, ch] + stripe + noise, 0, 255);
                    }
        }
        return new RawImageSet(pixels, labels, channels, size, size, names);
    }
}
