namespace Experiments.Core.Datasets;

/// <summary>One image as the trainer holds it: channels x height x width bytes.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Bytes => Channels * Height * Width;

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
