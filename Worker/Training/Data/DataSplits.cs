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

    // Float64 sums over the whole set so the statistics are exact, not a running estimate.
    private static (Tensor Mean, Tensor Std) ChannelStatistics(Tensor images)
    {
        using var scope = NewDisposeScope();
        var pixels = images.to_type(ScalarType.Float64).div_(255.0);
        var mean = pixels.mean([0L, 2L, 3L]);
        var std = pixels.std([0L, 2L, 3L], unbiased: false);
        return (mean.to_type(ScalarType.Float32).MoveToOuterDisposeScope(), std.to_type(ScalarType.Float32).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
        Mean.Dispose();
        Std.Dispose();
    }
}
