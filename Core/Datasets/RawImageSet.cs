namespace Experiments.Core.Datasets;

/// <summary>Decoded images before any tensor exists: pixels N x C x H x W row-major, one label per image.</summary>
public sealed record RawImageSet(byte[] Pixels, long[] Labels, int Channels, int Height, int Width, IReadOnlyList<string> ClassNames)
{
    public int Count => Labels.Length;
}

/// <summary>A data set's official train and test parts as shipped (validation is split off the train part later).</summary>
public sealed record RawDataset(string Name, RawImageSet Train, RawImageSet Test);
