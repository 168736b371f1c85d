using Experiments.Core.Specs;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Model;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Model;

public sealed class ComputeOptionsTests
{
    [Theory]
    [InlineData(3, 1, 1)] // the last stage's 3x3 convs on 32x32 images
    [InlineData(3, 2, 1)] // a strided 3x3 conv on one pixel
    public void UnrolledConvolutionOnOnePixelEqualsLibtorchsFloat64ConvForwardAndBackward(int kernel, int stride, int padding)
    {
        using var scope = NewDisposeScope();
        // A generator of its own: other tests draw from the global one at the same time, which made these inputs
        // (and so the rounding differences checked below) change from run to run. Weights at Kaiming scale, as in training.
        using var generator = new Generator(1);
        var input = randn([5, 16, 1, 1], generator: generator);
        var weight = randn([8, 16, kernel, kernel], generator: generator) * Math.Sqrt(2.0 / (16 * kernel * kernel));
        var (unrolled, unrolledGrads) = RunConv(input, weight, stride, padding, new ComputeOptions { UnrollTinyConvolutions = true });
        // The reference is libtorch's conv2d in float64 (its own im2col + GEMM kernels; oneDNN has no float64). Its
        // float32 conv2d is no reference here: oneDNN's backward-data in LibTorch 2.10 on this AVX-512 machine returned
        // a wrong (often NaN) input gradient when the output channels are not a multiple of 16, as these 8 are: 1 run
        // in ~1,500 on one pixel, 1 in 4-7 on 2x2 maps, every run with 24 channels (ResNet-34's 64-512 never hit it).
        var (reference, referenceGrads) = RunConv(input.to_type(ScalarType.Float64), weight.to_type(ScalarType.Float64), stride, padding,
            new ComputeOptions { UnrollTinyConvolutions = false });

        Assert.Equal(ScalarType.Float32, unrolledGrads.Input.dtype);
        Assert.Equal(reference.shape, unrolled.shape);
        Assert.True(Close(unrolled, reference), Describe(unrolled, reference));
        Assert.True(Close(unrolledGrads.Input, referenceGrads.Input), Describe(unrolledGrads.Input, referenceGrads.Input));
        Assert.True(Close(unrolledGrads.Weight, referenceGrads.Weight), Describe(unrolledGrads.Weight, referenceGrads.Weight));
    }

    private static bool Close(Tensor actual, Tensor expected) => actual.to_type(ScalarType.Float64).allclose(expected, rtol: 0, atol: 1e-5);

    private static string Describe(Tensor actual, Tensor expected) =>
        $"max |diff| {(actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>()}, max |expected| {expected.abs().max().item<double>()}, threads {get_num_threads()}";

    private static (Tensor Output, (Tensor Input, Tensor Weight) Grads) RunConv(Tensor input, Tensor weight, int stride, int padding, ComputeOptions options)
    {
        var x = input.detach().requires_grad_(true);
        var w = weight.detach().requires_grad_(true);
        var output = ConvKernel.Apply(x, w, stride, padding, options);
        output.square().sum().backward();
        return (output.detach(), (x.grad!, w.grad!));
    }

    // The hazard above, for the shapes training computes: every convolution ResNet-34 runs on 32x32 images with the
    // ImageNet stem (64-512 output channels, maps from 32x32 at the stem down to the unrolled 1x1), forward and
    // backward as in a training step, against the same model in float64 with libtorch's convolutions. A wrong or NaN
    // gradient from libtorch's float32 kernels or from our unrolling would show here (the CIFAR stem runs the same
    // channel counts on larger maps). ~8 s of CPU time, mostly float64.
    [Fact]
    [Trait("Category", "Slow")]
    public void Fp32GradientsOfResNet34EqualThoseOfTheSameModelInFloat64()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        // Eval: BatchNorm as a fixed affine map, so the comparison does not hinge on statistics of a tiny batch.
        model.eval();
        var input = randn([2, 3, 32, 32], generator: generator);
        var labels = tensor(new long[] { 3, 7 });

        var fp32 = Gradients(model, input, labels);
        TorchSharp.ModuleExtensionMethods.to(model, ScalarType.Float64);
        // libtorch's own float64 convolutions throughout, the 1x1 maps included: a reference independent of our unrolling.
        model.Compute.UnrollTinyConvolutions = false;
        var fp64 = Gradients(model, input.to_type(ScalarType.Float64), labels);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(fp64.Count, fp32.Count);
        // Rounding alone: at most 1.0e-6 of the parameter's largest gradient (measured); a kernel fault is of order 1.
        for (int i = 0; i < fp32.Count; i++)
        {
            double scale = fp64[i].abs().max().item<double>();
            double difference = (fp32[i].to_type(ScalarType.Float64) - fp64[i]).abs().max().item<double>();
            Assert.True(difference <= 1e-3 * scale, $"parameter {i}: max |diff| {difference}, max |float64 gradient| {scale}");
        }
    }

    private static List<Tensor> Gradients(ResNet34 model, Tensor input, Tensor labels)
    {
        model.zero_grad();
        nn.functional.cross_entropy(model.call(input), labels).backward();
        return model.parameters().Select(p => p.grad!.clone()).ToList();
    }

    [Fact]
    public void Bf16ComputeReturnsFp32LogitsAndFp32GradientsCloseToFp32()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet);
        model.train();
        var input = randn(8, 3, 32, 32);
        var labels = randint(0, 10, [8], ScalarType.Int64);

        var fp32 = model.call(input);
        model.zero_grad();
        nn.functional.cross_entropy(fp32, labels).backward();
        var fp32Grads = cat(model.parameters().Select(p => p.grad!.flatten()).ToList()).clone();
        model.Compute.LowPrecision = ScalarType.BFloat16;
        var bf16 = model.call(input);
        model.zero_grad();
        nn.functional.cross_entropy(bf16, labels).backward();

        Assert.Equal(ScalarType.Float32, bf16.dtype);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        Assert.All(model.buffers().Where(b => b.is_floating_point()), b => Assert.Equal(ScalarType.Float32, b.dtype));
        // bf16 keeps 8 bits of mantissa, and 36 layers at random initialisation compound it: close (relative to the
        // largest value), and not identical (it did compute in bf16). bench/accuracy checks what it does to training.
        double scale = fp32.abs().max().item<float>();
        double difference = (bf16 - fp32).abs().max().item<float>();
        Assert.InRange(difference / scale, 1e-6, 0.25);
        var bf16Grads = cat(model.parameters().Select(p => p.grad!.flatten()).ToList());
        double cosine = nn.functional.cosine_similarity(bf16Grads, fp32Grads, dim: 0).item<float>();
        // At random initialisation, batch 8 (BatchNorm over 8 values per channel on the 1x1 maps), the whole gradient
        // pointed the same way with cosine 0.70 (measured): bf16 noise is large there. What it does to training is
        // bench/accuracy's question; here: the gradient is the fp32 one's direction, not a copy of it.
        Assert.InRange(cosine, 0.5, 1 - 1e-6);
    }

    [LinuxX86Fact]
    public void CpuBf16SupportAgreesWithTheKernelsCpuFlags()
    {
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
        bool listed = flags.Contains("avx512_bf16") || flags.Contains("amx_bf16");

        Assert.Equal(listed, Bf16Support.Problem("cpu") is null);
    }
}

/// <summary>A fact about x86 CPU flags as Linux lists them in /proc/cpuinfo: skipped elsewhere.</summary>
internal sealed class LinuxX86FactAttribute : FactAttribute
{
    public LinuxX86FactAttribute()
    {
        if (!File.Exists("/proc/cpuinfo") || !System.Runtime.Intrinsics.X86.X86Base.IsSupported)
            Skip = "needs Linux on an x86 CPU";
    }
}
