using static TorchSharp.torch;

namespace Experiments.Worker.Training.Model;

/// <summary>How a <see cref="ResNet34"/> computes its convolutions and its linear layer. Shared by all its blocks.</summary>
public sealed class ComputeOptions
{
    /// <summary>
    /// Convolutions on single-pixel maps (on 32x32 images with the ImageNet stem: the fourth stage's 3x3 convs) run
    /// as one matrix product with the kernel unrolled (<see cref="ConvKernel"/>): the same sums in another order. CPU only.
    /// </summary>
    public bool UnrollTinyConvolutions { get; set; } = true;

    /// <summary>
    /// bf16 compute for convolutions and the linear layer (autocast-style: fp32 weights cast per forward, so the
    /// optimizer keeps fp32 master weights); BatchNorm keeps fp32 weights and running statistics; logits come back
    /// as fp32 so the loss is fp32. Null: everything in fp32.
    /// </summary>
    public ScalarType? LowPrecision { get; set; }

    /// <summary>The weight in the compute precision (a differentiable cast when bf16, else the weight itself).</summary>
    internal Tensor Cast(Tensor weight) => LowPrecision is { } type && weight.dtype != type ? weight.to_type(type) : weight;
}
