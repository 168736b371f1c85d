using Experiments.Core.Specs;

namespace Experiments.Core.Search;

/// <summary>
/// A mixture with one kernel per observation plus a prior kernel, over some dimensions of a
/// <see cref="SearchSpace"/>: truncated Gaussians for numeric dimensions, smoothed one-hot weights for categorical
/// ones. Bandwidths, weights, prior and magic clip follow Optuna 3.1's <c>_ParzenEstimator</c>, the joint kernel's
/// width and clip as <see cref="TpeSettings"/> set them (Optuna's with <see cref="TpeSettings.Optuna31"/>).
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly IReadOnlyList<SearchDimension> _dimensions;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[]?[] _mus;
    private readonly double[]?[] _sigmas;
    private readonly double[]?[] _logAccept;
    private readonly double[][]?[] _categoryWeights;

    /// <param name="dimensions">The dimensions modelled (all of them, or one when univariate).</param>
    /// <param name="observations">One point per observation in chronological order, values aligned with <paramref name="dimensions"/>.</param>
    public ParzenEstimator(IReadOnlyList<SearchDimension> dimensions, IReadOnlyList<double[]> observations, TpeSettings settings)
    {
        _dimensions = dimensions;
        var count = observations.Count;
        var considerPrior = settings.ConsiderPrior || count == 0;
        _weights = ComponentWeights(count, considerPrior, settings.PriorWeight);
        _logWeights = [.. _weights.Select(w => Math.Log(w))];

        _mus = new double[]?[dimensions.Count];
        _sigmas = new double[]?[dimensions.Count];
        _logAccept = new double[]?[dimensions.Count];
        _categoryWeights = new double[][]?[dimensions.Count];

        // Scott's rule as BOHB uses it (a share of the range), for the joint kernel; univariate kernels take their
        // neighbours' distances.
        double? sigma0 = settings.Multivariate ? settings.BandwidthMagnitude * Math.Pow(Math.Max(count, 1), -1.0 / (dimensions.Count + 4)) : null;
        for (var d = 0; d < dimensions.Count; d++)
        {
            var column = observations.Select(o => o[d]).ToArray();
            switch (dimensions[d])
            {
                case CategoricalDimension c:
                    _categoryWeights[d] = CategoryWeights(column, c.Choices.Count, considerPrior, settings.PriorWeight);
                    break;
                case NumericDimension n:
                    var (mus, sigmas) = Kernels(column, n.Low, n.High, considerPrior, sigma0, settings);
                    _mus[d] = mus;
                    _sigmas[d] = sigmas;
                    _logAccept[d] = [.. mus.Select((mu, k) => TruncatedNormal.LogMass((n.Low - mu) / sigmas[k], (n.High - mu) / sigmas[k]))];
                    break;
            }
        }
    }

    /// <summary>Draws <paramref name="count"/> internal points: a kernel by weight, then each dimension from it.</summary>
    public double[][] Sample(SplitMix64 random, int count)
    {
        var cumulative = Cumulative(_weights);
        var active = new int[count];
        for (var s = 0; s < count; s++)
        {
            active[s] = Math.Min(UpperBound(cumulative, random.NextDouble() * cumulative[^1]), _weights.Length - 1);
        }

        var samples = new double[count][];
        for (var s = 0; s < count; s++)
        {
            samples[s] = new double[_dimensions.Count];
        }

        // Dimension by dimension, like Optuna, so each dimension's draws are one contiguous run of the stream.
        for (var d = 0; d < _dimensions.Count; d++)
        {
            for (var s = 0; s < count; s++)
            {
                var k = active[s];
                samples[s][d] = _dimensions[d] switch
                {
                    CategoricalDimension => Categorical(_categoryWeights[d]![k], random.NextDouble()),
                    NumericDimension n => n.Snap(Gaussian(n, _mus[d]![k], _sigmas[d]![k], random.NextDouble())),
                    _ => throw new InvalidOperationException("unknown dimension"),
                };
            }
        }

        return samples;
    }

    /// <summary>The mixture's log density (probability mass for integers and choices) at each point.</summary>
    public double[] LogPdf(IReadOnlyList<double[]> points)
    {
        var result = new double[points.Count];
        var components = new double[_weights.Length];
        for (var s = 0; s < points.Count; s++)
        {
            Array.Copy(_logWeights, components, components.Length);
            for (var d = 0; d < _dimensions.Count; d++)
            {
                var x = points[s][d];
                switch (_dimensions[d])
                {
                    case CategoricalDimension:
                        var table = _categoryWeights[d]!;
                        for (var k = 0; k < components.Length; k++)
                        {
                            components[k] += Math.Log(table[k][(int)x]);
                        }

                        break;
                    case NumericDimension n:
                        AddNumeric(components, n, _mus[d]!, _sigmas[d]!, _logAccept[d]!, x);
                        break;
                }
            }

            result[s] = LogSumExp(components);
        }

        return result;
    }

    /// <summary>Optuna's default weights: equal up to 25 observations, then the oldest fade linearly from 1/n.</summary>
    public static double[] ObservationWeights(int count)
    {
        if (count < 25)
        {
            return [.. Enumerable.Repeat(1.0, count)];
        }

        var rampLength = count - 25;
        var weights = new double[count];
        var start = 1.0 / count;
        var step = rampLength > 1 ? (1.0 - start) / (rampLength - 1) : 0;
        for (var i = 0; i < rampLength; i++)
        {
            weights[i] = i == rampLength - 1 && rampLength > 1 ? 1.0 : (i * step) + start;
        }

        for (var i = rampLength; i < count; i++)
        {
            weights[i] = 1.0;
        }

        return weights;
    }

    private static double[] ComponentWeights(int count, bool considerPrior, double priorWeight)
    {
        var observed = ObservationWeights(count);
        var weights = considerPrior ? [.. observed, priorWeight] : observed;
        var total = weights.Sum();
        return [.. weights.Select(w => w / total)];
    }

    private static double[][] CategoryWeights(double[] column, int choices, bool considerPrior, double priorWeight)
    {
        var rows = considerPrior ? column.Length + 1 : column.Length;
        var fill = priorWeight / (considerPrior ? column.Length + 1 : column.Length);
        var table = new double[rows][];
        for (var k = 0; k < rows; k++)
        {
            table[k] = [.. Enumerable.Repeat(fill, choices)];
            if (k < column.Length)
            {
                table[k][(int)column[k]] += 1;
            }

            var total = table[k].Sum();
            for (var c = 0; c < choices; c++)
            {
                table[k][c] /= total;
            }
        }

        return table;
    }

    private static (double[] Mus, double[] Sigmas) Kernels(double[] column, double low, double high, bool considerPrior, double? sigma0, TpeSettings settings)
    {
        var count = column.Length;
        double[] mus = considerPrior ? [.. column, 0.5 * (low + high)] : [.. column];
        var sigmas = sigma0 is { } s0 ? [.. Enumerable.Repeat(s0 * (high - low), mus.Length)] : NeighbourSigmas(mus, low, high, settings.ConsiderEndpoints);

        // The magic clip: no kernel narrower than the range over (number of kernels + 1), at most 100 of them; for the
        // joint kernel only when asked (Optuna clips it too).
        var maxSigma = high - low;
        var clip = settings.ConsiderMagicClip && (sigma0 is null || settings.ClipMultivariateBandwidth);
        var minSigma = clip ? (high - low) / Math.Min(100.0, 1.0 + mus.Length) : 1e-12;
        for (var k = 0; k < sigmas.Length; k++)
        {
            sigmas[k] = Math.Clamp(sigmas[k], minSigma, maxSigma);
        }

        if (considerPrior)
        {
            sigmas[count] = high - low;
        }

        return (mus, sigmas);
    }

    // Univariate TPE: each kernel as wide as the larger gap to its sorted neighbours (the domain's ends included).
    private static double[] NeighbourSigmas(double[] mus, double low, double high, bool considerEndpoints)
    {
        var order = Enumerable.Range(0, mus.Length).OrderBy(i => mus[i]).ToArray();
        var padded = new double[mus.Length + 2];
        padded[0] = low;
        padded[^1] = high;
        for (var i = 0; i < order.Length; i++)
        {
            padded[i + 1] = mus[order[i]];
        }

        var sorted = new double[mus.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = Math.Max(padded[i + 1] - padded[i], padded[i + 2] - padded[i + 1]);
        }

        if (!considerEndpoints && padded.Length >= 4)
        {
            sorted[0] = padded[2] - padded[1];
            sorted[^1] = padded[^2] - padded[^3];
        }

        var sigmas = new double[mus.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sigmas[order[i]] = sorted[i];
        }

        return sigmas;
    }

    private static double Gaussian(NumericDimension dimension, double mu, double sigma, double u) =>
        (TruncatedNormal.Quantile(u, (dimension.Low - mu) / sigma, (dimension.High - mu) / sigma) * sigma) + mu;

    private static void AddNumeric(double[] components, NumericDimension dimension, double[] mus, double[] sigmas, double[] logAccept, double x)
    {
        if (dimension.Step is { } q)
        {
            // An integer's probability is its kernel's mass over the cell [x - q/2, x + q/2] of the domain.
            var upper = Math.Min(x + (q / 2), dimension.High);
            var lower = Math.Max(x - (q / 2), dimension.Low);
            for (var k = 0; k < components.Length; k++)
            {
                components[k] += TruncatedNormal.LogMass((lower - mus[k]) / sigmas[k], (upper - mus[k]) / sigmas[k]) - logAccept[k];
            }

            return;
        }

        for (var k = 0; k < components.Length; k++)
        {
            var z = (x - mus[k]) / sigmas[k];
            var outside = x < dimension.Low || x > dimension.High;
            components[k] += outside ? double.NegativeInfinity : (-(z * z) / 2.0) - TruncatedNormal.LogSqrtTwoPi - logAccept[k];
        }
    }

    private static double Categorical(double[] probabilities, double u)
    {
        // The number of cumulative probabilities below u, as Optuna counts it.
        var cumulative = 0.0;
        var index = 0;
        foreach (var p in probabilities)
        {
            cumulative += p;
            if (cumulative < u)
            {
                index++;
            }
        }

        return Math.Min(index, probabilities.Length - 1);
    }

    private static double[] Cumulative(double[] weights)
    {
        var cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }

        return cumulative;
    }

    // numpy's searchsorted(side="right"): the number of entries <= value.
    private static int UpperBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static double LogSumExp(double[] values)
    {
        var max = values.Max();
        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return Math.Log(sum) + max;
    }
}
