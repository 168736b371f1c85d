using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Model;

/// <summary>
/// A square-kernel convolution, computed by libtorch's conv2d or, on a single-pixel map (ResNet-34's last stage on
/// 32x32 images with the ImageNet stem), as one matrix product with the kernel unrolled into a dense (O*P) x (C*Q)
/// matrix (there: the centre tap). oneDNN's direct kernels are built for large maps and are slow on 1x1 ones,
/// forward and backward; a plain GEMM does the same sums and never multiplies the zero padding.
/// LibTorch 2.10's float32 conv2d (oneDNN) on an AVX-512 CPU returned wrong, often NaN, input gradients when the
/// output channels are not a multiple of 16 (8 or 24, measured); ResNet-34's 64-512 are (ComputeOptionsTests guards it).
/// </summary>
internal static class ConvKernel
{
    // Tap index per (output pixel, input pixel), or null when some pair is out of the kernel's reach (not dense).
    // Kept for the process: a handful of tiny CPU tensors, detached from every dispose scope.
    private static readonly ConcurrentDictionary<(long H, long W, long Kernel, long Stride, long Padding), Tensor?> Taps = new();

    // Measured (bench/throughput experiment, interleaved): unrolling the 1x1 maps of ResNet-34's last stage made a
    // whole fp32 training step 1.6-1.8x faster; also unrolling the 2x2 maps (1024 x 1024 GEMMs) made it slower again.
    private const long MaxUnrolledInputPixels = 1;

    public static Tensor Apply(Tensor input, Tensor weight, long stride, long padding, ComputeOptions options)
    {
        var w = options.Cast(weight);
        long kernel = weight.shape[2];
        if (options.UnrollTinyConvolutions && input.shape[2] * input.shape[3] <= MaxUnrolledInputPixels && input.device_type == TorchSharp.DeviceType.CPU
            && TapIndex(input.shape[2], input.shape[3], kernel, stride, padding) is { } taps)
        {
            return Unrolled(input, w, taps, OutputSize(input.shape[2], kernel, stride, padding), OutputSize(input.shape[3], kernel, stride, padding));
        }
        return nn.functional.conv2d(input, w, strides: [stride, stride], padding: [padding, padding]);
    }

    private static long OutputSize(long size, long kernel, long stride, long padding) => (size + 2 * padding - kernel) / stride + 1;

    // out[n, o, p] = sum over c, q of weight[o, c, tap(p, q)] * input[n, c, q]: a linear layer on the flattened map.
    private static Tensor Unrolled(Tensor input, Tensor weight, Tensor taps, long outH, long outW)
    {
        long n = input.shape[0], c = input.shape[1], o = weight.shape[0];
        long p = outH * outW, q = input.shape[2] * input.shape[3];
        var matrix = weight.flatten(2).index_select(2, taps).view(o, c, p, q).permute(0, 2, 1, 3).reshape(o * p, c * q);
        return nn.functional.linear(input.reshape(n, c * q), matrix).view(n, o, outH, outW);
    }

    private static Tensor? TapIndex(long h, long w, long kernel, long stride, long padding) =>
        Taps.GetOrAdd((h, w, kernel, stride, padding), key =>
        {
            long outH = OutputSize(key.H, key.Kernel, key.Stride, key.Padding), outW = OutputSize(key.W, key.Kernel, key.Stride, key.Padding);
            var index = new List<long>();
            for (long i = 0; i < outH; i++)
                for (long j = 0; j < outW; j++)
                    for (long a = 0; a < key.H; a++)
                        for (long b = 0; b < key.W; b++)
                        {
                            long row = a - (i * key.Stride - key.Padding), column = b - (j * key.Stride - key.Padding);
                            if (row < 0 || row >= key.Kernel || column < 0 || column >= key.Kernel)
                                return null;
                            index.Add(row * key.Kernel + column);
                        }
            var taps = tensor(index.ToArray(), ScalarType.Int64);
            taps.DetachFromDisposeScope();
            return taps;
        });
}
