namespace Experiments.Core.Specs;

/// <summary>
/// The Sobol low-discrepancy sequence in Gray-code order with Joe and Kuo's direction numbers
/// (new-joe-kuo-6.21201), the same unscrambled points as SciPy's <c>qmc.Sobol(scramble=False)</c>.
/// Point 0 is the origin. A caller wanting a seeded variant XORs each coordinate with a random shift
/// (a digital shift keeps the low-discrepancy structure).
/// </summary>
internal sealed class SobolSequence
{
    private const int Bits = 32;

    // Per dimension after the first: degree s, coefficients a, initial m_1..m_s (Joe & Kuo, dimensions 2-21).
    private static readonly (int S, uint A, uint[] M)[] Primitives =
    [
        (1, 0, [1]),
        (2, 1, [1, 3]),
        (3, 1, [1, 3, 1]),
        (3, 2, [1, 1, 1]),
        (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]),
        (5, 2, [1, 1, 5, 5, 17]),
        (5, 4, [1, 1, 5, 5, 5]),
        (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]),
        (5, 13, [1, 1, 1, 3, 11]),
        (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]),
        (6, 13, [1, 1, 1, 15, 21, 21]),
        (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]),
        (6, 22, [1, 3, 1, 15, 13, 25]),
        (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]),
        (7, 4, [1, 3, 7, 13, 13, 15, 69]),
    ];

    private readonly uint[][] _directions;

    public SobolSequence(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
        _directions = [.. Enumerable.Range(0, dimensions).Select(Directions)];
    }

    public static int MaxDimensions => Primitives.Length + 1;

    public int Dimensions => _directions.Length;

    /// <summary>The point at <paramref name="index"/> as 32-bit fractions (coordinate = bits / 2^32).</summary>
    public uint[] PointBits(uint index)
    {
        var gray = index ^ (index >> 1);
        var point = new uint[_directions.Length];
        for (var bit = 0; gray != 0; bit++, gray >>= 1)
        {
            if ((gray & 1) == 0)
            {
                continue;
            }

            for (var d = 0; d < point.Length; d++)
            {
                point[d] ^= _directions[d][bit];
            }
        }

        return point;
    }

    /// <summary>The point at <paramref name="index"/>, each coordinate in [0, 1).</summary>
    public double[] Point(uint index) => [.. PointBits(index).Select(ToUnit)];

    public static double ToUnit(uint bits) => bits / 4294967296.0;

    // V_k = m_k / 2^k for k <= s, then the recurrence from the primitive polynomial (Bratley and Fox).
    private static uint[] Directions(int dimension)
    {
        var v = new uint[Bits];
        if (dimension == 0)
        {
            for (var k = 0; k < Bits; k++)
            {
                v[k] = 1u << (Bits - 1 - k);
            }

            return v;
        }

        var (s, a, m) = Primitives[dimension - 1];
        for (var k = 0; k < s; k++)
        {
            v[k] = m[k] << (Bits - 1 - k);
        }

        for (var k = s; k < Bits; k++)
        {
            v[k] = v[k - s] ^ (v[k - s] >> s);
            for (var j = 1; j < s; j++)
            {
                v[k] ^= ((a >> (s - 1 - j)) & 1) * v[k - j];
            }
        }

        return v;
    }
}
