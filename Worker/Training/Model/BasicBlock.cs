using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Worker.Training.Model;

/// <summary>
/// torchvision's BasicBlock: conv3x3-BN-ReLU-conv3x3-BN plus a skip (identity, or 1x1 conv + BN when the shape
/// changes), then ReLU. Field names equal torchvision's attributes so PyTorch state dicts load by name.
/// </summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    // Names are part of the state-dict contract with PyTorch: do not rename.
#pragma warning disable IDE1006
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    private readonly long stride;
    private readonly ComputeOptions compute;

    // The downsample's conv and BN, typed (a tuple, so RegisterComponents does not register them a second time).
    private readonly (Conv2d Conv, BatchNorm2d Norm)? shortcut;

    public BasicBlock(long inChannels, long outChannels, long stride, ComputeOptions compute) : base(nameof(BasicBlock))
    {
        this.stride = stride;
        this.compute = compute;
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        relu = ReLU(inplace: true);
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = (Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false), BatchNorm2d(outChannels));
            downsample = Sequential(shortcut.Value.Conv, shortcut.Value.Norm);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = relu.call(bn1.call(ConvKernel.Apply(input, conv1.weight!, stride, 1, compute)));
        x = bn2.call(ConvKernel.Apply(x, conv2.weight!, 1, 1, compute));
        var identity = shortcut is ({ } conv, { } norm) ? norm.call(ConvKernel.Apply(input, conv.weight!, stride, 0, compute)) : input;
        return x.add_(identity).relu_();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            relu.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}
