using Experiments.Worker.Training.Data;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Augmentation;

public sealed class BatchAugmentationTests
{
    // Each image is a horizontal ramp 1..W (never 0, so zero padding is visible) in every channel and row.
    private static Tensor Ramps(int n, int size = 8) =>
        arange(1, size + 1, ScalarType.Byte).view(1, 1, 1, size).expand(n, 3, size, size).contiguous();

    private static (Tensor Mean, Tensor Std) Identity() => (zeros(3), ones(3).div(255.0));

    [Fact]
    public void FlipIsDrawnPerImage()
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Identity();
        using var generator = new Generator(7);
        var output = BatchAugmentation.For(Core.Specs.Augmentation.Flip, mean, std, generator).Apply(Ramps(64)).round();
        var firstColumn = output[.., 0, 0, 0];
        long flipped = firstColumn.eq(8).sum().item<long>();
        long kept = firstColumn.eq(1).sum().item<long>();
        Assert.Equal(64, flipped + kept);
        Assert.InRange(flipped, 1, 63);
    }

    [Fact]
    public void CropShiftsContentAndPadsWithZeros()
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Identity();
        using var generator = new Generator(3);
        var input = Ramps(64);
        var output = BatchAugmentation.For(Core.Specs.Augmentation.Crop, mean, std, generator).Apply(input).round();
        Assert.Equal(input.shape, output.shape);
        Assert.False(output.eq(input.to_type(ScalarType.Float32)).all().item<bool>());
        Assert.True(output.eq(0).any().item<bool>());
        // Every image is a shifted ramp: a row steps by exactly 1 where it is not padding.
        var row = output[.., 0, 4, ..];
        var steps = row[.., 1..] - row[.., ..^1];
        var inside = row[.., 1..].gt(0) & row[.., ..^1].gt(0);
        Assert.True(steps.masked_select(inside).eq(1).all().item<bool>());
    }

    [Fact]
    public void SameSeedGivesSameBatches()
    {
        using var scope = NewDisposeScope();
        var (mean, std) = Identity();
        using var a = new Generator(11);
        using var b = new Generator(11);
        var input = Ramps(16);
        var first = BatchAugmentation.For(Core.Specs.Augmentation.CropFlip, mean, std, a).Apply(input).round();
        var second = BatchAugmentation.For(Core.Specs.Augmentation.CropFlip, mean, std, b).Apply(input).round();
        Assert.True(first.eq(second).all().item<bool>());
        var next = BatchAugmentation.For(Core.Specs.Augmentation.CropFlip, mean, std, a).Apply(input).round();
        Assert.False(first.eq(next).all().item<bool>());
    }

    [Fact]
    public void NormalizeUsesChannelStatistics()
    {
        using var scope = NewDisposeScope();
        var images = full([2, 3, 2, 2], 51, ScalarType.Byte);
        var output = BatchAugmentation.Normalize(images, tensor(new float[] { 0.2f, 0.1f, 0.0f }), tensor(new float[] { 1f, 0.1f, 0.2f }));
        Assert.Equal(0.0f, output[0, 0, 0, 0].item<float>(), 5);
        Assert.Equal(1.0f, output[0, 1, 0, 0].item<float>(), 5);
        Assert.Equal(1.0f, output[0, 2, 0, 0].item<float>(), 5);
    }
}
