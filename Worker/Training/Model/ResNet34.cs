using Experiments.Core.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Worker.Training.Model;

/// <summary>
/// ResNet-34 as in the seed notebook (torchvision's layout): stem, four stages of 3/4/6/3 BasicBlocks at
/// 64/128/256/512 channels, adaptive average pool, linear. Field names equal torchvision's attributes so
/// PyTorch state dicts load by name (TorchSharp.PyBridge).
/// </summary>
public sealed class ResNet34 : Module<Tensor, Tensor>
{
    private static readonly int[] BlocksPerStage = [3, 4, 6, 3];
    private static readonly int[] StageChannels = [64, 128, 256, 512];

#pragma warning disable IDE1006 // Names are part of the state-dict contract with PyTorch.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;
#pragma warning restore IDE1006

    private readonly long stemStride;
    private readonly long stemPadding;

    /// <param name="init">How the weights are drawn (from the global generator: seed it first for repeatable weights).</param>
    public ResNet34(int inputChannels, int classCount, ResNetStem stem, WeightInit init = WeightInit.Torchvision) : base(nameof(ResNet34))
    {
        (stemStride, stemPadding) = stem == ResNetStem.ImageNet ? (2, 3) : (1, 1);
        if (stem == ResNetStem.ImageNet)
        {
            conv1 = Conv2d(inputChannels, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
            maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        }
        else
        {
            conv1 = Conv2d(inputChannels, 64, kernel_size: 3, stride: 1, padding: 1, bias: false);
            maxpool = Identity();
        }
        bn1 = BatchNorm2d(64);
        relu = ReLU(inplace: true);

        long channels = 64;
        var stages = new Sequential[4];
        for (int s = 0; s < 4; s++)
        {
            stages[s] = Sequential();
            for (int b = 0; b < BlocksPerStage[s]; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                stages[s].append(new BasicBlock(channels, StageChannels[s], stride, Compute));
                channels = StageChannels[s];
            }
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        avgpool = AdaptiveAvgPool2d([1, 1]);
        fc = Linear(512, classCount);

        RegisterComponents();
        if (init == WeightInit.PyTorch)
            InitializeLikePyTorch();
        else
            InitializeLikeTorchvision();
    }

    /// <summary>How convolutions and the linear layer compute (precision, tiny-map algorithm); applies to the next forward.</summary>
    public ComputeOptions Compute { get; } = new();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Compute.LowPrecision is { } type ? input.to_type(type) : input;
        x = maxpool.call(relu.call(bn1.call(ConvKernel.Apply(x, conv1.weight!, stemStride, stemPadding, Compute))));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        var logits = nn.functional.linear(avgpool.call(x).flatten(1), Compute.Cast(fc.weight!), Compute.Cast(fc.bias!));
        return logits.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    // torchvision: Kaiming-normal (fan_out, ReLU) convs, BN weight 1 / bias 0, the linear layer keeps its default.
    private void InitializeLikeTorchvision()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    init.constant_(bn.weight, 1);
                    init.constant_(bn.bias, 0);
                    break;
            }
        }
    }

    // PyTorch's reset_parameters of each layer, written out so it holds whatever TorchSharp's constructors draw:
    // kaiming_uniform(a=sqrt(5)) is uniform in +-1/sqrt(fan_in), and biases are uniform in the same bound.
    private void InitializeLikePyTorch()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    ResetLikePyTorch(conv.weight!, conv.bias);
                    break;
                case Linear linear:
                    ResetLikePyTorch(linear.weight!, linear.bias);
                    break;
                case BatchNorm2d bn:
                    init.constant_(bn.weight, 1);
                    init.constant_(bn.bias, 0);
                    break;
            }
        }
    }

    private static void ResetLikePyTorch(Tensor weight, Tensor? bias)
    {
        init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is not null)
        {
            double bound = 1 / Math.Sqrt(weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b));
            init.uniform_(bias, -bound, bound);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            relu.Dispose();
            maxpool.Dispose();
            layer1.Dispose();
            layer2.Dispose();
            layer3.Dispose();
            layer4.Dispose();
            avgpool.Dispose();
            fc.Dispose();
        }
        base.Dispose(disposing);
    }
}
