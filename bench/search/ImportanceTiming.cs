using System.Diagnostics;
using System.Text.Json;
using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.SearchBench;

/// <summary>
/// Times our parameter importance on a finished random sweep of the surrogate (its top parameter printed beside it),
/// and writes the same trials for optuna_importance.py so Optuna's fANOVA can be timed on them.
/// </summary>
internal static class ImportanceTiming
{
    public static int Run(int trials, string optunaInput)
    {
        var problem = new SweepSurrogate();
        var space = SearchSpace.Of(problem.Parameters);
        var history = Enumerable.Range(0, trials).Select(k =>
        {
            var values = TpeSampler.StartupSample(space, 1, k);
            return new ObservedTrial(k, ObservedState.Complete, values) { Value = problem.Evaluate(values) };
        }).ToList();

        var cold = Stopwatch.StartNew();
        var report = ImportanceEvaluator.Evaluate(space, history);
        cold.Stop();
        var warm = Enumerable.Range(0, 3).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            ImportanceEvaluator.Evaluate(space, history);
            return watch.Elapsed.TotalSeconds;
        }).Order().ElementAt(1);

        var ranking = string.Join(", ", report.Parameters.Select(p => $"{p.Name} {p.Fanova:F3}"));
        Console.WriteLine($"ours\t{warm:F3}\t{cold.Elapsed.TotalSeconds:F3}\t{ranking}");
        File.WriteAllText(optunaInput, JsonSerializer.Serialize(new
        {
            direction = "maximize",
            parameters = problem.Parameters.Select(p => p switch
            {
                ChoiceParameter c => (object)new { name = p.Field.Name, kind = "choice", choices = c.Values },
                RangeParameter r => new { name = p.Field.Name, kind = "log", low = r.Min, high = r.Max },
                _ => throw new InvalidOperationException(),
            }),
            trials = history.Select(t => new
            {
                @params = problem.Parameters.Select((p, i) => (p.Field.Name, t.Values[i])).ToDictionary(x => x.Name, x => x.Item2),
                value = t.Value,
            }),
        }));
        return 0;
    }
}
