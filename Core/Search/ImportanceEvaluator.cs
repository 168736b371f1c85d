using Experiments.Core.Specs;
using MathNet.Numerics.Statistics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Experiments.Core.Search;

/// <summary>
/// Parameter importance as Optuna's default evaluator computes it (fANOVA over a random forest fitted to the
/// completed trials' parameters -> metric), with the forest from ML.NET's FastForest, plus each parameter's Spearman
/// rank correlation with the metric (MathNet).
/// <para>
/// Like Optuna: 64 trees on all features, choices one-hot encoded (a choice's importance is that of its columns
/// together), importance = mean over the trees of the parameter's marginal variance / the tree's variance, normalised
/// to sum 1. Unlike Optuna 3.1: a log_uniform parameter is measured on its log scale, the scale it was sampled on
/// (Optuna integrates it uniformly over its raw range, where the top decade is 90% of the volume).
/// </para>
/// </summary>
internal static class ImportanceEvaluator
{
    /// <summary>Fewer completed trials than this tell nothing about importance.</summary>
    public const int MinimumTrials = 4;

    private const int Trees = 64;

    public static ImportanceReport Evaluate(SearchSpace space, IReadOnlyList<ObservedTrial> trials, int seed = 0)
    {
        var points = new List<double[]>();
        var metric = new List<double>();
        foreach (var trial in trials.Where(t => t.State == ObservedState.Complete && t.Value is { } v && double.IsFinite(v)).OrderBy(t => t.Number))
        {
            if (space.TryInternal(trial.Values, out var point))
            {
                points.Add(point);
                metric.Add(trial.Value!.Value);
            }
        }

        if (space.Dimensions.Count == 0)
        {
            return new ImportanceReport(points.Count, [], "the sweep varies no parameter");
        }

        if (points.Count < MinimumTrials)
        {
            return new ImportanceReport(points.Count, [], $"needs at least {MinimumTrials} completed trials, has {points.Count}");
        }

        if (metric.Distinct().Count() < 2)
        {
            return new ImportanceReport(points.Count, [], "every completed trial has the same metric");
        }

        var encoding = Encode(space);
        var rows = points.Select(p => Row(encoding, p)).ToArray();
        var trees = Fit(rows, metric, encoding.Bounds, seed).Where(t => t.Variance > 0).ToArray();
        var shares = encoding.Columns.Select(columns => trees.Length == 0 ? 0 : trees.Average(t => t.MarginalVariance(columns) / t.Variance)).ToArray();
        var total = shares.Sum();

        var result = space.Dimensions.Select((d, i) => new ParameterImportance(
            space.Parameters[d.Parameter].Field.Name,
            total > 0 ? shares[i] / total : 0,
            RankCorrelation(d, points.Select(p => p[i]).ToArray(), metric)));
        return new ImportanceReport(points.Count, [.. result.OrderByDescending(r => r.Fanova)], null);
    }

    /// <summary>The columns the forest sees: a numeric parameter is one, a choice one per value (0 or 1).</summary>
    private sealed record Encoding(IReadOnlyList<SearchDimension> Dimensions, IReadOnlyList<int[]> Columns, IReadOnlyList<(double Low, double High)> Bounds);

    private static Encoding Encode(SearchSpace space)
    {
        var columns = new List<int[]>();
        var bounds = new List<(double, double)>();
        foreach (var dimension in space.Dimensions)
        {
            var width = dimension is CategoricalDimension c ? c.Choices.Count : 1;
            columns.Add([.. Enumerable.Range(bounds.Count, width)]);
            for (var i = 0; i < width; i++)
            {
                bounds.Add(dimension is NumericDimension n ? (n.Min, n.Max) : (0, 1));
            }
        }

        return new Encoding(space.Dimensions, columns, bounds);
    }

    private static float[] Row(Encoding encoding, double[] point)
    {
        var row = new float[encoding.Bounds.Count];
        for (var d = 0; d < encoding.Dimensions.Count; d++)
        {
            var columns = encoding.Columns[d];
            if (encoding.Dimensions[d] is CategoricalDimension)
            {
                row[columns[(int)point[d]]] = 1;
            }
            else
            {
                row[columns[0]] = (float)point[d];
            }
        }

        return row;
    }

    private static IEnumerable<FanovaTree> Fit(float[][] rows, IReadOnlyList<double> metric, IReadOnlyList<(double Low, double High)> bounds, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(ForestRow));
        schema[nameof(ForestRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, bounds.Count);
        var data = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new ForestRow { Features = r, Label = (float)metric[i] }), schema);
        var options = new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = Trees,
            // Optuna grows each tree until its leaves are pure; a cap keeps 2,000 trials fast (see the README).
            NumberOfLeaves = Math.Clamp(rows.Length / 2, 2, 64),
            MinimumExampleCountPerLeaf = 1,
            FeatureFraction = 1,
            // One thread: the same trials give the same importances on every refresh.
            NumberOfThreads = 1,
        };
        var model = ml.Regression.Trainers.FastForest(options).Fit(data).Model;
        foreach (var tree in model.TrainedTreeEnsemble.Trees)
        {
            yield return ToFanovaTree(tree, bounds);
        }
    }

    // ML.NET numbers inner nodes 0.. and leaves ~0, ~1, ... (negative): one node array, leaves after inner nodes.
    private static FanovaTree ToFanovaTree(RegressionTreeBase tree, IReadOnlyList<(double Low, double High)> bounds)
    {
        var inner = tree.NumberOfNodes;
        var count = inner + tree.NumberOfLeaves;
        var left = new int[count];
        var right = new int[count];
        var feature = new int[count];
        var threshold = new double[count];
        var value = new double[count];
        int Index(int child) => child >= 0 ? child : inner + ~child;
        for (var i = 0; i < inner; i++)
        {
            if (tree.CategoricalSplitFlags[i])
            {
                throw new InvalidOperationException("the forest split on a categorical feature; every feature is declared numeric");
            }

            left[i] = Index(tree.LeftChild[i]);
            right[i] = Index(tree.RightChild[i]);
            feature[i] = tree.NumericalSplitFeatureIndexes[i];
            threshold[i] = tree.NumericalSplitThresholds[i];
        }

        for (var j = 0; j < tree.NumberOfLeaves; j++)
        {
            left[inner + j] = right[inner + j] = feature[inner + j] = -1;
            value[inner + j] = tree.LeafValues[j];
        }

        return new FanovaTree(left, right, feature, threshold, value, bounds);
    }

    private static double? RankCorrelation(SearchDimension dimension, double[] internalValues, IReadOnlyList<double> metric)
    {
        double[]? ordered = dimension switch
        {
            NumericDimension => internalValues,
            CategoricalDimension c when c.Choices.All(v => v is int or long or double) =>
                [.. internalValues.Select(i => Convert.ToDouble(c.Choices[(int)i], System.Globalization.CultureInfo.InvariantCulture))],
            _ => null,
        };
        if (ordered is null || ordered.Distinct().Count() < 2)
        {
            return null;
        }

        return Correlation.Spearman(ordered, metric);
    }

    private sealed class ForestRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
