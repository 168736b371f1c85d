using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Search;

/// <summary>Search spaces built from the real training fields, and histories for them.</summary>
internal static class SearchSpaces
{
    public static readonly string[] Optimizers = ["adam", "adamw", "sgd"];

    /// <summary>lr (log), momentum (uniform), batch_size (int, step 32), optimizer (choice), weight_decay (fixed).</summary>
    public static SearchSpace Mixed() => SearchSpace.Of(
    [
        new RangeParameter(Field("lr"), Distribution.LogUniform, 1e-5, 1e-1),
        new RangeParameter(Field("momentum"), Distribution.Uniform, 0.5, 0.99),
        new RangeParameter(Field("batch_size"), Distribution.IntUniform, 32, 250) { Step = 32 },
        new ChoiceParameter(Field("optimizer"), Optimizers),
        new FixedParameter(Field("weight_decay"), 0.0005),
    ]);

    public static TrainingConfigField Field(string name) => TrainingConfigFields.ByName[name];

    /// <summary>A metric that peaks at lr 1e-3, momentum 0.9, batch 64, sgd (maximised).</summary>
    public static double Accuracy(IReadOnlyList<object?> v)
    {
        var lr = Math.Log10((double)v[0]!) + 3;
        var momentum = (double)v[1]! - 0.9;
        var batch = ((int)v[2]! - 64) / 200.0;
        var optimizer = (string)v[3]! == "sgd" ? 0.02 : 0;
        return 0.9 - (0.05 * lr * lr) - (0.2 * momentum * momentum) - (0.05 * batch * batch) + optimizer;
    }

    /// <summary><paramref name="count"/> completed trials from the startup samples of <paramref name="seed"/>.</summary>
    public static List<ObservedTrial> Completed(SearchSpace space, int count, ulong seed, Func<IReadOnlyList<object?>, double>? metric = null) =>
        [.. Enumerable.Range(0, count).Select(k =>
        {
            var values = TpeSampler.StartupSample(space, seed, k);
            return new ObservedTrial(k, ObservedState.Complete, values) { Value = (metric ?? Accuracy)(values) };
        })];
}
