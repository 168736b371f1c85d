using Experiments.Core.Specs;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Worker.Tests.Model;

public sealed class ResNet34Tests
{
    [Fact]
    public void HasTheNotebooksParameterAndStateDictCounts()
    {
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        Assert.Equal(21_289_802, model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
        Assert.Equal(218, model.state_dict().Count);
    }

    [Theory]
    [InlineData(ResNetStem.ImageNet, 3, 10)]
    [InlineData(ResNetStem.Cifar, 1, 10)]
    [InlineData(ResNetStem.Cifar, 3, 7)]
    public void CheckpointSizeEstimateCountsEveryParameterAndBufferOfTheRealModel(ResNetStem stem, int channels, int classes)
    {
        using var model = new ResNet34(channels, classes, stem);
        var buffers = model.named_buffers().ToList();

        var counts = CheckpointSizeEstimate.ResNet34Counts(channels, classes, stem == ResNetStem.ImageNet ? 7 : 3);

        Assert.Equal(model.parameters().Sum(p => p.numel()), counts.Parameters);
        Assert.Equal(buffers.Where(b => b.buffer.dtype == ScalarType.Float32).Sum(b => b.buffer.numel()), counts.FloatBuffers);
        Assert.Equal(buffers.Count(b => b.buffer.dtype == ScalarType.Int64), counts.Counters);
    }

    [Fact]
    public void StateDictUsesTorchvisionNames()
    {
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", keys);
        Assert.Contains("bn1.running_var", keys);
        Assert.Contains("layer1.0.conv1.weight", keys);
        Assert.Contains("layer2.0.downsample.0.weight", keys);
        Assert.Contains("layer2.0.downsample.1.num_batches_tracked", keys);
        Assert.Contains("layer4.2.bn2.bias", keys);
        Assert.Contains("fc.weight", keys);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", keys);
    }

    [Theory]
    [InlineData(ResNetStem.ImageNet, 3, 32, 10)]
    [InlineData(ResNetStem.Cifar, 3, 32, 10)]
    [InlineData(ResNetStem.Cifar, 1, 28, 7)]
    public void ProducesOneLogitPerClass(ResNetStem stem, int channels, int size, int classes)
    {
        using var scope = NewDisposeScope();
        using var model = new ResNet34(channels, classes, stem);
        model.eval();
        using var noGrad = no_grad();
        var logits = model.call(randn(2, channels, size, size));
        Assert.Equal([2L, classes], logits.shape);
    }

    [Fact]
    public void CifarStemKeepsResolutionWhereImageNetStemQuartersIt()
    {
        using var imagenet = new ResNet34(3, 10, ResNetStem.ImageNet);
        using var cifar = new ResNet34(3, 10, ResNetStem.Cifar);
        Assert.Equal([64L, 3, 7, 7], imagenet.state_dict()["conv1.weight"].shape);
        Assert.Equal([64L, 3, 3, 3], cifar.state_dict()["conv1.weight"].shape);
    }

    [Theory]
    [InlineData(ResNetStem.Cifar, 32, false)]
    [InlineData(ResNetStem.ImageNet, 8, true)]
    public void CifarStemHasStrideOneAndNoMaxPool(ResNetStem stem, long sizeAfterStem, bool pools)
    {
        using var scope = NewDisposeScope();
        using var model = new ResNet34(3, 10, stem);
        model.eval();
        var children = model.named_children().ToDictionary(c => c.name, c => (Module<Tensor, Tensor>)c.module);

        // The stem as forward runs it: conv1, bn1, relu, maxpool. Stride 1 and no pool keep a 32x32 image 32x32;
        // the notebook's stride-2 conv and stride-2 pool make it 8x8.
        using var noGrad = no_grad();
        var x = randn(2, 3, 32, 32);
        foreach (var name in new[] { "conv1", "bn1", "relu", "maxpool" })
            x = children[name].call(x);
        Assert.Equal([2L, 64, sizeAfterStem, sizeAfterStem], x.shape);
        Assert.Equal(pools, children["maxpool"] is TorchSharp.Modules.MaxPool2d);
        var conv1 = (TorchSharp.Modules.Conv2d)children["conv1"];
        Assert.Equal(pools ? [2L, 2] : [1L, 1], conv1.stride);
    }

    [Trait("Category", "Slow")] // saves and loads every entry through PyTorch's format
    [Fact]
    public void PyTorchFormatRoundTripRestoresEveryEntry()
    {
        manual_seed(1);
        using var source = new ResNet34(3, 10, ResNetStem.Cifar);
        manual_seed(2);
        using var target = new ResNet34(3, 10, ResNetStem.Cifar);
        using var stream = new MemoryStream();
        source.save_py(stream, leaveOpen: true);
        stream.Position = 0;
        target.load_py(stream, leaveOpen: true);

        var expected = source.state_dict();
        var actual = target.state_dict();
        Assert.Equal(218, actual.Count);
        Assert.All(expected, e => Assert.True(e.Value.eq(actual[e.Key]).all().item<bool>(), e.Key));
    }
}
