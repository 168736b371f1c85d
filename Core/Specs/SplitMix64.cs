namespace Experiments.Core.Specs;

/// <summary>
/// A tiny seeded generator (Steele, Lea and Flood's SplitMix64). Ours, not <see cref="Random"/>, because
/// the same sweep file must expand to the same trials on every .NET version, forever.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong _state = seed;

    /// <summary>
    /// The generator <paramref name="seed"/> gives after <paramref name="draws"/> calls to <see cref="Next"/>, in O(1):
    /// the state only ever advances by a constant, so any position of the stream is one multiplication away.
    /// </summary>
    public static SplitMix64 After(ulong seed, ulong draws) => new(unchecked(seed + (draws * Golden)));

    public ulong Next()
    {
        var z = _state += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
