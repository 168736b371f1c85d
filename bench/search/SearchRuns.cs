using Experiments.Core.Search;

namespace Experiments.SearchBench;

/// <summary>Runs one searcher on one problem for one seed, sequentially, and records the best-so-far regret.</summary>
internal static class SearchRuns
{
    public static double[] Tpe(BenchProblem problem, ulong seed, int evaluations, TpeSettings settings)
    {
        var space = SearchSpace.Of(problem.Parameters);
        settings = settings with { Goal = problem.Goal };
        var history = new List<ObservedTrial>();
        var regrets = new double[evaluations];
        for (var k = 0; k < evaluations; k++)
        {
            var values = TpeSampler.Propose(space, history, seed, k, settings).Values;
            var value = problem.Evaluate(values);
            history.Add(new ObservedTrial(k, ObservedState.Complete, values) { Value = value });
            regrets[k] = Math.Min(problem.Regret(value), k > 0 ? regrets[k - 1] : double.PositiveInfinity);
        }

        return regrets;
    }

    /// <summary><c>method: random</c> with this sample seed.</summary>
    public static double[] Random(BenchProblem problem, ulong seed, int evaluations)
    {
        var space = SearchSpace.Of(problem.Parameters);
        var regrets = new double[evaluations];
        for (var k = 0; k < evaluations; k++)
        {
            var value = problem.Evaluate(TpeSampler.StartupSample(space, seed, k));
            regrets[k] = Math.Min(problem.Regret(value), k > 0 ? regrets[k - 1] : double.PositiveInfinity);
        }

        return regrets;
    }
}
