using System.Globalization;
using System.Text.Json;
using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Search;

/// <summary>
/// Our Parzen estimators against Optuna 3.1's own, on the same observations: in Optuna's configuration
/// (<see cref="TpeSettings.Optuna31"/>), and in ours, whose joint kernel is Optuna's formula with another width and
/// no magic clip (Optuna's estimator given the same constant and <c>consider_magic_clip=False</c>).
/// </summary>
public sealed class ParzenEstimatorConformanceTests
{
    [SkippableTheory]
    [InlineData(true, 0, true)]
    [InlineData(true, 3, true)]
    [InlineData(true, 40, true)]
    [InlineData(false, 30, true)]
    [InlineData(true, 0, false)]
    [InlineData(true, 3, false)]
    [InlineData(true, 40, false)]
    [InlineData(false, 30, false)]
    public void LogDensitiesEqualOptunasOnTheSameObservations(bool multivariate, int observed, bool optunaSettings)
    {
        OptunaPeer.SkipUnlessAvailable();
        var space = SearchSpaces.Mixed();
        var settings = (optunaSettings ? TpeSettings.Optuna31 : new TpeSettings()) with { Multivariate = multivariate };
        var observations = Points(space, observed, seed: 21);
        var points = Points(space, 25, seed: 22);

        // Univariate TPE models each dimension alone (one estimator per parameter), as Optuna does.
        int[][] groups = multivariate ? [[.. Enumerable.Range(0, space.Dimensions.Count)]] : [.. Enumerable.Range(0, space.Dimensions.Count).Select(d => new[] { d })];
        foreach (var group in groups)
        {
            double[][] Columns(double[][] rows) => [.. rows.Select(r => group.Select(d => r[d]).ToArray())];
            var dimensions = group.Select(d => space.Dimensions[d]).ToArray();

            var ours = new ParzenEstimator(dimensions, Columns(observations), settings).LogPdf(Columns(points));
            var theirs = OptunaLogPdf(dimensions, settings, Columns(observations), Columns(points));

            Assert.Equal(theirs.Length, ours.Length);
            for (var i = 0; i < ours.Length; i++)
            {
                Assert.True(Math.Abs(ours[i] - theirs[i]) <= 1e-9 * Math.Max(1, Math.Abs(theirs[i])), $"dimensions {string.Join(",", group)}, point {i}: ours {ours[i]:R}, Optuna {theirs[i]:R}");
            }
        }
    }

    [Fact]
    public void TruncatedNormalQuantilesInvertItsMass()
    {
        foreach (var (a, b) in new[] { (-1.0, 2.0), (0.5, 3.0), (-30.0, -2.0), (2.0, 40.0), (-0.1, 0.1), (-5.0, 5.0) })
        {
            foreach (var q in new[] { 0.01, 0.3, 0.5, 0.9, 0.999 })
            {
                var x = TruncatedNormal.Quantile(q, a, b);
                Assert.InRange(x, a, b);
                // The mass below x is q of the mass on [a, b].
                Assert.Equal(Math.Log(q), TruncatedNormal.LogMass(a, x) - TruncatedNormal.LogMass(a, b), 9);
            }
        }
    }

    private static double[][] Points(SearchSpace space, int count, ulong seed) =>
        [.. Enumerable.Range(0, count).Select(k => space.TryInternal(TpeSampler.StartupSample(space, seed, k), out var p) ? p : throw new InvalidOperationException())];

    private static double[] OptunaLogPdf(IReadOnlyList<SearchDimension> dimensions, TpeSettings settings, double[][] observations, double[][] points)
    {
        // Optuna takes a log parameter's value itself, ours its logarithm.
        double[] External(double[] p) => [.. p.Select((x, d) => dimensions[d] is NumericDimension { IsLog: true } ? Math.Exp(x) : x)];
        var spec = new
        {
            multivariate = settings.Multivariate,
            magic_clip = settings.ConsiderMagicClip && (!settings.Multivariate || settings.ClipMultivariateBandwidth),
            sigma0_magnitude = settings.BandwidthMagnitude,
            dimensions = dimensions.Select(d => d switch
            {
                CategoricalDimension c => (object)new { kind = "choice", choices = c.Choices },
                NumericDimension { Step: { } step } n => new { kind = "int", low = n.Min, high = n.Max, step },
                NumericDimension n => new { kind = n.IsLog ? "log" : "float", low = n.Range.Min, high = n.Range.Max },
                _ => throw new InvalidOperationException(),
            }),
            observations = observations.Select(External),
            points = points.Select(External),
        };
        var file = Path.Combine(Path.GetTempPath(), $"experiments-parzen-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(spec));
        try
        {
            return [.. OptunaPeer.Run("optuna_parzen.py", file).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        }
        finally
        {
            File.Delete(file);
        }
    }
}
