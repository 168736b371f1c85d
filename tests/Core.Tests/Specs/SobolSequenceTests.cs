using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class SobolSequenceTests
{
    [Fact]
    public void FirstTwoDimensionalPointsMatchTheReference()
    {
        // scipy.stats.qmc.Sobol(d=2, scramble=False).random(8)
        double[][] expected =
        [
            [0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75],
            [0.375, 0.375], [0.875, 0.875], [0.625, 0.125], [0.125, 0.625],
        ];
        var sequence = new SobolSequence(2);

        for (var i = 0u; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], sequence.Point(i));
        }
    }

    [Theory]
    [InlineData(5u, new[] { 0.875, 0.875, 0.125, 0.375, 0.875, 0.625, 0.875, 0.375, 0.375, 0.125, 0.375, 0.875, 0.875, 0.125, 0.875, 0.375, 0.875, 0.375, 0.375, 0.625, 0.625 })]
    [InlineData(100u, new[] { 0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125, 0.7421875, 0.0234375, 0.4765625, 0.6328125, 0.6953125, 0.4609375, 0.6796875, 0.4765625, 0.8515625, 0.3203125, 0.4921875, 0.6796875, 0.7421875, 0.8359375, 0.3359375, 0.7578125 })]
    [InlineData(1000u, new[] { 0.2197265625, 0.0966796875, 0.5185546875, 0.6767578125, 0.2802734375, 0.9072265625, 0.0458984375, 0.8994140625, 0.5009765625, 0.0693359375, 0.0849609375, 0.2548828125, 0.1611328125, 0.3837890625, 0.1435546875, 0.3701171875, 0.7197265625, 0.3447265625, 0.9912109375, 0.7255859375, 0.5224609375 })]
    [InlineData(12345u, new[] { 0.64093017578125, 0.81341552734375, 0.16033935546875, 0.52679443359375, 0.88848876953125, 0.05889892578125, 0.12725830078125, 0.11334228515625, 0.80181884765625, 0.42962646484375, 0.07427978515625, 0.59881591796875, 0.93096923828125, 0.94183349609375, 0.03448486328125, 0.64080810546875, 0.06256103515625, 0.05096435546875, 0.31939697265625, 0.34344482421875, 0.19927978515625 })]
    [InlineData(16383u, new[] { 6.103515625e-05, 0.79998779296875, 0.75238037109375, 0.70330810546875, 0.43658447265625, 0.87164306640625, 0.40435791015625, 0.48858642578125, 0.03253173828125, 0.65203857421875, 0.80792236328125, 0.77777099609375, 0.10992431640625, 0.31268310546875, 0.44439697265625, 0.66693115234375, 0.67169189453125, 0.32415771484375, 0.33575439453125, 0.55706787109375, 0.33917236328125 })]
    public void AllTwentyOneDimensionsMatchTheReference(uint index, double[] expected)
    {
        // scipy.stats.qmc.Sobol(d=21, scramble=False): checks every dimension's direction numbers.
        Assert.Equal(expected, new SobolSequence(21).Point(index));
    }

    [Fact]
    public void EveryDyadicIntervalHoldsExactlyOnePointPerDimension()
    {
        var sequence = new SobolSequence(SobolSequence.MaxDimensions);

        var points = Enumerable.Range(0, 64).Select(i => sequence.Point((uint)i)).ToList();

        for (var d = 0; d < sequence.Dimensions; d++)
        {
            Assert.Equal(64, points.Select(p => (int)(p[d] * 64)).Distinct().Count());
        }
    }

    [Fact]
    public void RefusesMoreDimensionsThanItHasDirectionNumbersFor()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(SobolSequence.MaxDimensions + 1));
    }
}
