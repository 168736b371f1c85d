namespace Experiments.Core.Search;

/// <summary>
/// One regression tree seen as a partition of the search box, with the functional-ANOVA marginals of Hutter, Hoos
/// and Leyton-Brown (2014) computed the way Optuna's <c>_FanovaTree</c> does: each node's mean prediction weighted by
/// its volume, and a feature's marginal variance over the cells its split points cut its range into.
/// </summary>
internal sealed class FanovaTree
{
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly double[] _mean;
    private readonly double[] _volume;
    private readonly bool[][] _subtreeSplitsOn;
    private readonly double[][] _midpoints;
    private readonly double[][] _sizes;
    private readonly int _features;
    private readonly IReadOnlyList<(double Low, double High)> _bounds;

    /// <param name="left">Left child per node (taken when the feature is at most the threshold); -1 for leaves.</param>
    /// <param name="feature">The split feature per node; -1 for leaves.</param>
    /// <param name="value">The prediction of each leaf (ignored for inner nodes).</param>
    /// <param name="bounds">The box: per feature its [low, high].</param>
    public FanovaTree(int[] left, int[] right, int[] feature, double[] threshold, double[] value, IReadOnlyList<(double Low, double High)> bounds)
    {
        _left = left;
        _right = right;
        _feature = feature;
        _threshold = threshold;
        _features = bounds.Count;
        _bounds = bounds;
        var nodes = left.Length;
        _mean = new double[nodes];
        _volume = new double[nodes];
        _subtreeSplitsOn = new bool[nodes][];

        // Children after parents in this order, so boxes flow down and statistics flow back up.
        var order = new List<int>(nodes) { 0 };
        var boxes = new (double Low, double High)[nodes][];
        boxes[0] = [.. bounds];
        for (var i = 0; i < order.Count; i++)
        {
            var node = order[i];
            if (feature[node] >= 0)
            {
                var f = feature[node];
                boxes[left[node]] = [.. boxes[node]];
                boxes[left[node]][f].High = threshold[node];
                boxes[right[node]] = [.. boxes[node]];
                boxes[right[node]][f].Low = threshold[node];
                order.Add(left[node]);
                order.Add(right[node]);
            }
        }

        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            _subtreeSplitsOn[node] = new bool[_features];
            if (feature[node] < 0)
            {
                _mean[node] = value[node];
                _volume[node] = Volume(boxes[node]);
                continue;
            }

            int l = left[node], r = right[node];
            _volume[node] = _volume[l] + _volume[r];
            _mean[node] = ((_mean[l] * _volume[l]) + (_mean[r] * _volume[r])) / _volume[node];
            _subtreeSplitsOn[node][feature[node]] = true;
            for (var f = 0; f < _features; f++)
            {
                _subtreeSplitsOn[node][f] |= _subtreeSplitsOn[l][f] || _subtreeSplitsOn[r][f];
            }
        }

        // Each feature's range cut at every threshold the tree uses for it: the cells its marginal is constant on.
        _midpoints = new double[_features][];
        _sizes = new double[_features][];
        for (var f = 0; f < _features; f++)
        {
            var cuts = order.Where(n => feature[n] == f).Select(n => threshold[n]).Distinct().Order().ToList();
            cuts.Insert(0, bounds[f].Low);
            cuts.Add(bounds[f].High);
            _midpoints[f] = [.. cuts.Zip(cuts.Skip(1), (a, b) => 0.5 * (a + b))];
            _sizes[f] = [.. cuts.Zip(cuts.Skip(1), (a, b) => b - a)];
        }

        var leaves = order.Where(n => feature[n] < 0).ToArray();
        Variance = WeightedVariance(leaves.Select(n => _mean[n]).ToArray(), leaves.Select(n => _volume[n]).ToArray());
    }

    /// <summary>The variance of the tree's prediction over the box.</summary>
    public double Variance { get; }

    /// <summary>The variance of the marginal prediction of a group of features (one parameter's encoded columns).</summary>
    public double MarginalVariance(IReadOnlyList<int> features)
    {
        var values = new List<double>();
        var weights = new List<double>();
        var point = new double[_features];
        var active = new bool[_features];
        foreach (var f in features)
        {
            active[f] = true;
        }

        // Every combination of one cell per feature of the group.
        var cell = new int[features.Count];
        while (true)
        {
            var size = 1.0;
            for (var i = 0; i < features.Count; i++)
            {
                point[features[i]] = _midpoints[features[i]][cell[i]];
                size *= _sizes[features[i]][cell[i]];
            }

            var (value, weight) = Marginal(point, active, features);
            values.Add(value);
            weights.Add(weight * size);

            var next = 0;
            while (next < cell.Length && ++cell[next] == _midpoints[features[next]].Length)
            {
                cell[next++] = 0;
            }

            if (next == cell.Length)
            {
                break;
            }
        }

        return Math.Max(0, WeightedVariance([.. values], [.. weights]));
    }

    // The tree's mean prediction at the point's values of the active features, averaged over all the others.
    private (double Value, double Weight) Marginal(double[] point, bool[] active, IReadOnlyList<int> features)
    {
        double sum = 0, total = 0;
        var stack = new Stack<(int Node, double[] Low, double[] High)>();
        // The group's cell starts as its whole range; the other features are integrated out (volume 1, as in Optuna).
        stack.Push((0, [.. features.Select(g => _bounds[g].Low)], [.. features.Select(g => _bounds[g].High)]));
        var slot = new int[_features];
        for (var i = 0; i < features.Count; i++)
        {
            slot[features[i]] = i;
        }

        while (stack.Count > 0)
        {
            var (node, low, high) = stack.Pop();
            var f = _feature[node];
            if (f >= 0 && active[f])
            {
                // Follow the side the point is on, narrowing the cell to it.
                var goLeft = point[f] <= _threshold[node];
                var (l, h) = ((double[])low.Clone(), (double[])high.Clone());
                if (goLeft)
                {
                    h[slot[f]] = _threshold[node];
                }
                else
                {
                    l[slot[f]] = _threshold[node];
                }

                stack.Push((goLeft ? _left[node] : _right[node], l, h));
                continue;
            }

            if (f >= 0 && features.Any(g => _subtreeSplitsOn[node][g]))
            {
                stack.Push((_left[node], low, high));
                stack.Push((_right[node], low, high));
                continue;
            }

            // A leaf, or a subtree that never splits on the group: its mean, weighted by its share of the cell.
            var cellVolume = 1.0;
            for (var i = 0; i < low.Length; i++)
            {
                cellVolume *= high[i] - low[i];
            }

            var weight = _volume[node] / cellVolume;
            sum += _mean[node] * weight;
            total += weight;
        }

        return (sum / total, total);
    }

    private static double Volume((double Low, double High)[] box)
    {
        var volume = 1.0;
        foreach (var (low, high) in box)
        {
            volume *= high - low;
        }

        return volume;
    }

    private static double WeightedVariance(double[] values, double[] weights)
    {
        var total = weights.Sum();
        var mean = values.Zip(weights, (v, w) => v * w).Sum() / total;
        return values.Zip(weights, (v, w) => w * (v - mean) * (v - mean)).Sum() / total;
    }
}
