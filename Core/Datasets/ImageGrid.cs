namespace Experiments.Core.Datasets;

/// <summary>Lays out a batch of images (N x C x H x W bytes) as one planar image: rows of <c>columns</c> tiles with a gap between them.</summary>
public static class ImageGrid
{
    public const int Gap = 2;

    /// <returns>The grid's planar pixels (background 0) with its height and width.</returns>
    public static (byte[] Planar, int Height, int Width) Compose(ReadOnlySpan<byte> batch, int count, int channels, int height, int width, int columns)
    {
        if (count < 1 || batch.Length != count * channels * height * width)
            throw new ArgumentException($"{batch.Length} bytes are not {count} images of {channels}x{height}x{width}.", nameof(batch));
        columns = Math.Min(columns, count);
        int rows = (count + columns - 1) / columns;
        int gridHeight = (rows * height) + ((rows - 1) * Gap);
        int gridWidth = (columns * width) + ((columns - 1) * Gap);
        var grid = new byte[channels * gridHeight * gridWidth];
        for (int n = 0; n < count; n++)
        {
            int top = n / columns * (height + Gap), left = n % columns * (width + Gap);
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < height; y++)
                    batch.Slice((((n * channels) + c) * height * width) + (y * width), width)
                        .CopyTo(grid.AsSpan((c * gridHeight * gridWidth) + ((top + y) * gridWidth) + left, width));
        }
        return (grid, gridHeight, gridWidth);
    }
}
