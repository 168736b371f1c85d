using System.Globalization;
using System.Text.Json;
using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Search;

public sealed class ImportanceEvaluatorTests
{
    // lr (log), momentum, batch_size (int), optimizer (choice), all sampled at random like a random sweep.
    private static readonly SearchSpace Space = SearchSpace.Of(
    [
        new RangeParameter(SearchSpaces.Field("lr"), Distribution.LogUniform, 1e-5, 1e-1),
        new RangeParameter(SearchSpaces.Field("momentum"), Distribution.Uniform, 0.5, 0.99),
        new RangeParameter(SearchSpaces.Field("batch_size"), Distribution.IntUniform, 32, 256),
        new ChoiceParameter(SearchSpaces.Field("optimizer"), SearchSpaces.Optimizers),
    ]);

    /// <summary>The learning rate decides: a wide bowl in log lr, the rest barely matters.</summary>
    private static double LrDominates(IReadOnlyList<object?> v) =>
        0.9 - (0.08 * Math.Pow(Math.Log10((double)v[0]!) + 3, 2)) + (0.01 * (double)v[1]!) + (0.00002 * (int)v[2]!) + Noise(v);

    /// <summary>The optimizer decides: sgd is far better; the numbers barely matter.</summary>
    private static double OptimizerDominates(IReadOnlyList<object?> v) =>
        ((string)v[3]! == "sgd" ? 0.9 : 0.6) + (0.005 * Math.Log10((double)v[0]!)) + (0.01 * (double)v[1]!) + Noise(v);

    [SkippableTheory]
    [Trait("Category", "Slow")]
    [InlineData(nameof(LrDominates), "lr")]
    [InlineData(nameof(OptimizerDominates), "optimizer")]
    public void TopParameterIsTheOneThatDominatesAndOptunasFanovaAgrees(string metricName, string dominant)
    {
        OptunaPeer.SkipUnlessAvailable();
        var trials = Trials(metricName == nameof(LrDominates) ? LrDominates : OptimizerDominates, 200);

        var ours = ImportanceEvaluator.Evaluate(Space, trials);
        var optuna = OptunaFanova(trials);

        Assert.Equal(dominant, ours.Parameters[0].Name);
        Assert.Equal(optuna[0].Name, ours.Parameters[0].Name);
        Assert.True(ours.Parameters[0].Fanova > 0.5, $"{dominant} has only {ours.Parameters[0].Fanova:P0} by our fANOVA");
    }

    [Fact]
    public void ImportancesSumToOneMostImportantFirst()
    {
        var report = ImportanceEvaluator.Evaluate(Space, Trials(LrDominates, 300));

        Assert.Null(report.Unavailable);
        Assert.Equal(300, report.Trials);
        Assert.Equal(["batch_size", "lr", "momentum", "optimizer"], report.Parameters.Select(p => p.Name).Order());
        Assert.Equal("lr", report.Parameters[0].Name);
        Assert.Equal(1.0, report.Parameters.Sum(p => p.Fanova), 9);
        Assert.Equal(report.Parameters.OrderByDescending(p => p.Fanova), report.Parameters);
    }

    [Fact]
    public void RankCorrelationFollowsTheMetricForOrderedParametersOnly()
    {
        var trials = Trials(v => (double)v[1]! - (0.001 * (int)v[2]!), 120);

        var report = ImportanceEvaluator.Evaluate(Space, trials);
        var byName = report.Parameters.ToDictionary(p => p.Name);

        Assert.True(byName["momentum"].RankCorrelation > 0.5, $"momentum {byName["momentum"].RankCorrelation}");
        Assert.True(byName["batch_size"].RankCorrelation < -0.5, $"batch_size {byName["batch_size"].RankCorrelation}");
        Assert.InRange(byName["lr"].RankCorrelation!.Value, -0.3, 0.3);
        Assert.Null(byName["optimizer"].RankCorrelation);
    }

    [Fact]
    public void SameTrialsGiveTheSameImportances()
    {
        var trials = Trials(LrDominates, 150);

        var first = ImportanceEvaluator.Evaluate(Space, trials);
        var second = ImportanceEvaluator.Evaluate(Space, [.. trials.AsEnumerable().Reverse()]);

        Assert.Equal(first.Parameters, second.Parameters);
    }

    [Fact]
    public void TooFewOrUniformResultsSayWhyInsteadOfRanking()
    {
        var few = ImportanceEvaluator.Evaluate(Space, Trials(LrDominates, 3));
        var flat = ImportanceEvaluator.Evaluate(Space, Trials(_ => 0.5, 20));
        List<ObservedTrial> unfinished = [.. Trials(LrDominates, 20).Select(t => t with { State = ObservedState.Pending })];

        Assert.Empty(few.Parameters);
        Assert.Contains("at least 4 completed trials, has 3", few.Unavailable, StringComparison.Ordinal);
        Assert.Contains("same metric", flat.Unavailable, StringComparison.Ordinal);
        Assert.Equal(0, ImportanceEvaluator.Evaluate(Space, unfinished).Trials);
    }

    private static double Noise(IReadOnlyList<object?> v) => 0.002 * Math.Sin(1000 * (double)v[1]!);

    private static List<ObservedTrial> Trials(Func<IReadOnlyList<object?>, double> metric, int count) =>
        SearchSpaces.Completed(Space, count, seed: 12, metric);

    private static List<ParameterImportance> OptunaFanova(IReadOnlyList<ObservedTrial> trials)
    {
        var parameters = Space.Parameters.Select(p => p switch
        {
            ChoiceParameter c => (object)new { name = p.Field.Name, kind = "choice", choices = c.Values },
            RangeParameter r => new
            {
                name = p.Field.Name,
                kind = r.Distribution switch { Distribution.LogUniform => "log", Distribution.IntUniform => "int", _ => "float" },
                low = r.Min,
                high = r.Max,
            },
            _ => throw new InvalidOperationException(),
        });
        var spec = new
        {
            direction = "maximize",
            parameters,
            trials = trials.Select(t => new
            {
                @params = Space.Parameters.Select((p, i) => (p.Field.Name, t.Values[i])).ToDictionary(x => x.Name, x => x.Item2),
                value = t.Value,
            }),
        };
        var file = Path.Combine(Path.GetTempPath(), $"experiments-importance-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(spec));
        try
        {
            return [.. OptunaPeer.Run("optuna_importance.py", file)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t'))
                .Select(f => new ParameterImportance(f[0], double.Parse(f[1], CultureInfo.InvariantCulture), null))];
        }
        finally
        {
            File.Delete(file);
        }
    }
}
