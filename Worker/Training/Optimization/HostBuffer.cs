using static TorchSharp.torch;

namespace Experiments.Worker.Training.Optimization;

/// <summary>
/// A float32 CPU tensor whose storage is a pinned managed array, so optimizer kernels written in C# can update it
/// in place through a span while libtorch sees an ordinary tensor (TorchSharp exposes no raw data pointer).
/// </summary>
internal sealed class HostBuffer : IDisposable
{
    private HostBuffer(float[] array, Tensor tensor)
    {
        Array = array;
        Tensor = tensor;
    }

    public float[] Array { get; }

    public Tensor Tensor { get; }

    public static bool Supports(ScalarType dtype, Device device) => dtype == ScalarType.Float32 && device.type == TorchSharp.DeviceType.CPU;

    public static HostBuffer Zeros(long count)
    {
        if (count > System.Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} elements exceed one managed array.");
        var array = GC.AllocateArray<float>((int)count, pinned: true);
        return new HostBuffer(array, frombuffer(array, ScalarType.Float32, count, 0, requires_grad: false));
    }

    public void Dispose() => Tensor.Dispose();
}
