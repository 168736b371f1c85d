using Experiments.Core.Specs;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Data;

/// <summary>
/// On-device augmentation of a whole uint8 batch at once: random crop from a 4-pixel zero-padded image and a
/// horizontal flip, each drawn PER IMAGE (TorchVision's batch transforms flip all or nothing), then normalisation.
/// Random numbers come from a seeded CPU generator, so a run is reproducible and the state can be checkpointed.
/// </summary>
public sealed class BatchAugmentation(bool crop, bool flip, Tensor mean, Tensor std, Generator generator)
{
    public const int Padding = 4;

    public static BatchAugmentation For(Augmentation augmentation, Tensor mean, Tensor std, Generator generator) => augmentation switch
    {
        Augmentation.None => new(false, false, mean, std, generator),
        Augmentation.Flip => new(false, true, mean, std, generator),
        Augmentation.Crop => new(true, false, mean, std, generator),
        Augmentation.CropFlip => new(true, true, mean, std, generator),
        _ => throw new ArgumentOutOfRangeException(nameof(augmentation), augmentation, "not an augmentation"),
    };

    /// <summary>Augments (if enabled) and normalises; the result lives in the caller's dispose scope.</summary>
    public Tensor Apply(Tensor images) => Normalize(Augment(images), mean, std);

    /// <summary>
    /// The augmented uint8 images, before normalisation: what a denormalised training input looks like (the Dashboard
    /// shows a trial's first batch so). Draws from the generator exactly as <see cref="Apply"/> does.
    /// </summary>
    public Tensor Augment(Tensor images) => crop || flip ? CropAndFlip(images) : images;

    /// <summary>uint8 N x C x H x W to float, minus the channel mean, over the channel std.</summary>
    public static Tensor Normalize(Tensor images, Tensor mean, Tensor std) =>
        images.to_type(ScalarType.Float32).div_(255.0).sub_(mean.view(1, -1, 1, 1)).div_(std.view(1, -1, 1, 1));

    // One gather per axis: row index = dy + i; column index = dx + j, or dx + (W-1-j) when flipped.
    private Tensor CropAndFlip(Tensor images)
    {
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var device = images.device;
        int pad = crop ? Padding : 0;
        var offsets = crop
            ? randint(0, 2 * Padding + 1, [n, 2], ScalarType.Int64, generator: generator)
            : zeros([n, 2], ScalarType.Int64);
        var flips = flip
            ? randint(0, 2, [n], ScalarType.Int64, generator: generator).to_type(ScalarType.Bool)
            : zeros([n], ScalarType.Bool);

        var padded = pad > 0 ? nn.functional.pad(images, [pad, pad, pad, pad]) : images;
        var rowsIndex = offsets[.., 0..1] + arange(h, ScalarType.Int64).unsqueeze(0);
        var columns = arange(w, ScalarType.Int64).unsqueeze(0);
        var columnsIndex = offsets[.., 1..2] + where(flips.unsqueeze(1), (w - 1) - columns, columns);

        var rows = rowsIndex.to(device).view(n, 1, h, 1).expand(n, c, h, w + 2 * pad);
        var cols = columnsIndex.to(device).view(n, 1, 1, w).expand(n, c, h, w);
        return padded.gather(2, rows).gather(3, cols);
    }
}
