using Experiments.Core.Datasets;
using Experiments.Worker.Training.Data;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Augmentation;

public sealed class DataSplitsTests
{
    [Fact]
    public void SplitIsSeededAndStatisticsComeFromTheTrainingPart()
    {
        var raw = SyntheticDataset.Create(100, 20, seed: 5);
        using var a = DataSplits.Create(raw, 10, seed: 1, CPU);
        using var b = DataSplits.Create(raw, 10, seed: 1, CPU);
        using var c = DataSplits.Create(raw, 10, seed: 2, CPU);
        Assert.Equal(90, a.Train.Count);
        Assert.Equal(10, a.Validation.Count);
        Assert.Equal(20, a.Test.Count);
        Assert.True(a.Validation.Images.eq(b.Validation.Images).all().item<bool>());
        Assert.False(a.Validation.Images.eq(c.Validation.Images).all().item<bool>());

        using var pixels = a.Train.Images.to_type(ScalarType.Float64).div(255.0);
        var expectedMean = pixels[.., 0].mean().item<double>();
        Assert.Equal(expectedMean, a.Mean[0].item<float>(), 5);
        Assert.Equal(pixels[.., 1].std(unbiased: false).item<double>(), a.Std[1].item<float>(), 5);
    }

    [Fact]
    public void SyntheticDataIsDeterministicPerSeed()
    {
        var a = SyntheticDataset.Create(10, 2, seed: 9);
        var b = SyntheticDataset.Create(10, 2, seed: 9);
        var c = SyntheticDataset.Create(10, 2, seed: 10);
        Assert.Equal(a.Train.Pixels, b.Train.Pixels);
        Assert.NotEqual(a.Train.Pixels, c.Train.Pixels);
        Assert.Equal(10 * 3 * 32 * 32, a.Train.Pixels.Length);
    }
}
