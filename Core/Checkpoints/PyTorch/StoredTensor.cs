namespace Experiments.Core.Checkpoints.PyTorch;

/// <summary>One named tensor as bytes: its element type, shape (row-major, contiguous) and little-endian data.</summary>
public sealed record StoredTensor(string Name, TensorElement Element, long[] Shape, byte[] Data)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The element types a state dict holds, numbered as LibTorch's ScalarType (TorchSharp writes that number), with
/// PyTorch's legacy storage class each one pickles as.
/// </summary>
public enum TensorElement
{
    UInt8 = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}

public static class TensorElements
{
    public static bool IsKnown(TensorElement element) => Enum.IsDefined(element);

    public static int Size(TensorElement element) => element switch
    {
        TensorElement.UInt8 or TensorElement.Int8 or TensorElement.Bool => 1,
        TensorElement.Int16 or TensorElement.Float16 or TensorElement.BFloat16 => 2,
        TensorElement.Int32 or TensorElement.Float32 => 4,
        TensorElement.Int64 or TensorElement.Float64 => 8,
        _ => throw new InvalidDataException($"Tensor element type {(int)element} is not supported."),
    };

    /// <summary>The <c>torch.*Storage</c> class name <c>torch.load</c> maps back to the element type.</summary>
    public static string StorageClass(TensorElement element) => element switch
    {
        TensorElement.UInt8 => "ByteStorage",
        TensorElement.Int8 => "CharStorage",
        TensorElement.Int16 => "ShortStorage",
        TensorElement.Int32 => "IntStorage",
        TensorElement.Int64 => "LongStorage",
        TensorElement.Float16 => "HalfStorage",
        TensorElement.Float32 => "FloatStorage",
        TensorElement.Float64 => "DoubleStorage",
        TensorElement.Bool => "BoolStorage",
        TensorElement.BFloat16 => "BFloat16Storage",
        _ => throw new InvalidDataException($"Tensor element type {(int)element} is not supported."),
    };
}
