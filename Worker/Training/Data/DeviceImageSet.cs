using Experiments.Core.Datasets;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Data;

/// <summary>A whole image set as one uint8 tensor (N x C x H x W) and int64 labels, both on the training device.</summary>
public sealed class DeviceImageSet(Tensor images, Tensor labels) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public long Count => Labels.shape[0];

    public static DeviceImageSet FromRaw(RawImageSet raw, Device device)
    {
        using var images = tensor(raw.Pixels, [raw.Count, raw.Channels, raw.Height, raw.Width], ScalarType.Byte);
        using var labels = tensor(raw.Labels, [raw.Count], ScalarType.Int64);
        return new DeviceImageSet(images.to(device), labels.to(device));
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
