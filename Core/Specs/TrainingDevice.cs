using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Experiments.Core.Specs;

/// <summary>The kinds of device a trial can name.</summary>
public enum DeviceKind
{
    /// <summary>Whatever device the worker that claims the trial trains on.</summary>
    Auto,
    Cpu,
    Cuda,
}

/// <summary>
/// <c>device</c>: <c>auto</c>, <c>cpu</c>, <c>cuda</c> (the default GPU) or <c>cuda:N</c>. A small value rather than a
/// free string, so a typo cannot reach the trainer; written and stored in exactly those spellings.
/// </summary>
[JsonConverter(typeof(TrainingDeviceJsonConverter))]
public readonly record struct TrainingDevice
{
    /// <summary>Highest GPU index accepted: two digits, as many GPUs as one machine can hold.</summary>
    public const int MaxCudaIndex = 99;

    /// <summary>The spellings as shown in errors; <c>cuda:N</c> stands for any index 0-99.</summary>
    public static readonly IReadOnlyList<string> Spellings = ["auto", "cpu", "cuda", "cuda:N"];

    private TrainingDevice(DeviceKind kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    public static TrainingDevice Auto { get; } = new(DeviceKind.Auto, null);

    public static TrainingDevice Cpu { get; } = new(DeviceKind.Cpu, null);

    public DeviceKind Kind { get; }

    /// <summary>The GPU index of <c>cuda:N</c>; null for <c>cuda</c> (the default GPU) and the other kinds.</summary>
    public int? Index { get; }

    public static TrainingDevice Cuda(int? index = null) =>
        index is null or (>= 0 and <= MaxCudaIndex) ? new(DeviceKind.Cuda, index) : throw new ArgumentOutOfRangeException(nameof(index), index, $"a GPU index is 0 to {MaxCudaIndex}");

    public static bool TryParse([NotNullWhen(true)] string? text, out TrainingDevice device)
    {
        device = default;
        switch (text)
        {
            case "auto":
                device = Auto;
                return true;
            case "cpu":
                device = Cpu;
                return true;
            case "cuda":
                device = Cuda();
                return true;
            case ['c', 'u', 'd', 'a', ':', .. var digits] when digits.Length is 1 or 2 && digits.All(char.IsAsciiDigit):
                device = Cuda(int.Parse(digits, CultureInfo.InvariantCulture));
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, as TorchSharp's <c>torch.device</c> also reads it.</summary>
    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => "auto",
        DeviceKind.Cpu => "cpu",
        _ => Index is { } index ? $"cuda:{index.ToString(CultureInfo.InvariantCulture)}" : "cuda",
    };
}

/// <summary>Writes a <see cref="TrainingDevice"/> as its spelling; reading anything else is an error naming it.</summary>
internal sealed class TrainingDeviceJsonConverter : JsonConverter<TrainingDevice>
{
    public override TrainingDevice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TrainingDevice.TryParse(reader.GetString(), out var device)
            ? device
            : throw new JsonException($"device must be one of {string.Join(", ", TrainingDevice.Spellings)}");

    public override void Write(Utf8JsonWriter writer, TrainingDevice value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
