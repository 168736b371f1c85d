using Experiments.Core.Datasets;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Data;

/// <summary>
/// Train / validation / test on the device, plus the per-channel mean and std of the training part (in [0,1] units)
/// used for normalisation. The validation split is a seeded permutation, so the same seed holds out the same images.
/// </summary>
public sealed class DataSplits : IDisposable
{
    private DataSplits(DeviceImageSet train, DeviceImageSet validation, DeviceImageSet test, Tensor mean, Tensor std, IReadOnlyList<string> classNames)
    {
        Train = train;
        Validation = validation;
        Test = test;
        Mean = mean;
        Std = std;
        ClassNames = classNames;
    }

    public DeviceImageSet Train { get; }
    public DeviceImageSet Validation { get; }
    public DeviceImageSet Test { get; }

    /// <summary>Per-channel mean of the training images, shape [C], float32 on the device.</summary>
    public Tensor Mean { get; }

    /// <summary>Per-channel standard deviation of the training images, shape [C], float32 on the device.</summary>
    public Tensor Std { get; }

    public IReadOnlyList<string> ClassNames { get; }
    public int Channels => (int)Train.Images.shape[1];

    public static DataSplits Create(RawDataset raw, int validationSize, long seed, Device device)
    {
        if (validationSize < 0 || validationSize >= raw.Train.Count)
            throw new ArgumentOutOfRangeException(nameof(validationSize), $"Validation size {validationSize} must be below the {raw.Train.Count} training images.");

        using var all = DeviceImageSet.FromRaw(raw.Train, device);
        using var generator = new Generator((ulong)seed);
        using var order = randperm(raw.Train.Count, generator: generator).to(device);
        long trainCount = raw.Train.Count - validationSize;
        using var trainIndex = order.narrow(0, 0, trainCount);
        using var validationIndex = order.narrow(0, trainCount, validationSize);

        var train = new DeviceImageSet(all.Images.index_select(0, trainIndex), all.Labels.index_select(0, trainIndex));
        var validation = new DeviceImageSet(all.Images.index_select(0, validationIndex), all.Labels.index_select(0, validationIndex));
        var test = DeviceImageSet.FromRaw(raw.Test, device);

        var (mean, std) = ChannelStatistics(train.Images);
        return new DataSplits(train, validation, test, mean, std, raw.Train.ClassNames);
    }

    // Float64 sums over the whole set so the statistics are exact, not a running estimate; two passes over chunks
    // so the float64 copy is a chunk, never the whole set (8 bytes per pixel would dwarf the images themselves).
    private static (Tensor Mean, Tensor Std) ChannelStatistics(Tensor images)
    {
        const long ChunkImages = 4096;
        using var scope = NewDisposeScope();
        long count = images.shape[0], pixelsPerChannel = count * images.shape[2] * images.shape[3];
        var sum = zeros([images.shape[1]], ScalarType.Float64, images.device);
        for (long start = 0; start < count; start += ChunkImages)
        {
            using var chunkScope = NewDisposeScope();
            sum.add_(Scaled(images, start, ChunkImages).sum([0L, 2L, 3L]));
        }
        var mean = sum.div(pixelsPerChannel);
        var squares = zeros_like(sum);
        for (long start = 0; start < count; start += ChunkImages)
        {
            using var chunkScope = NewDisposeScope();
            squares.add_(Scaled(images, start, ChunkImages).sub_(mean.view(1, -1, 1, 1)).pow_(2).sum([0L, 2L, 3L]));
        }
        var std = squares.div_(pixelsPerChannel).sqrt_();
        return (mean.to_type(ScalarType.Float32).MoveToOuterDisposeScope(), std.to_type(ScalarType.Float32).MoveToOuterDisposeScope());
    }

    private static Tensor Scaled(Tensor images, long start, long length) =>
        images.narrow(0, start, Math.Min(length, images.shape[0] - start)).to_type(ScalarType.Float64).div_(255.0);

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
        Mean.Dispose();
        Std.Dispose();
    }
}
