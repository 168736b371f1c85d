using System.Globalization;

namespace Experiments.Core.Datasets.Files;

/// <summary>Reads one Fashion-MNIST part (an image file and its label file) and checks they belong together.</summary>
internal static class FashionMnistImages
{
    public static async Task<RawImageSet> ReadAsync(string imagesPath, string labelsPath, CancellationToken cancellationToken)
    {
        var images = await IdxFile.ReadImagesAsync(imagesPath, cancellationToken);
        var shape = FashionMnistLayout.Shape;
        if (images.Rows != shape.Height || images.Columns != shape.Width)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The Fashion-MNIST file {imagesPath} holds {images.Rows}x{images.Columns} images, expected {shape.Height}x{shape.Width}."));
        var labelBytes = await IdxFile.ReadLabelsAsync(labelsPath, cancellationToken);
        if (labelBytes.Length != images.Count)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The Fashion-MNIST file {labelsPath} holds {labelBytes.Length} labels but {imagesPath} holds {images.Count} images."));
        var classCount = FashionMnistLayout.ClassNames.Count;
        var labels = new long[labelBytes.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labelBytes[i] >= classCount)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The Fashion-MNIST file {labelsPath} is corrupt: label {i} is {labelBytes[i]}, expected 0..{classCount - 1}."));
            labels[i] = labelBytes[i];
        }
        return new RawImageSet(images.Pixels, labels, shape.Channels, images.Rows, images.Columns, FashionMnistLayout.ClassNames);
    }
}
