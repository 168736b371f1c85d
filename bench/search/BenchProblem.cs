using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.SearchBench;

/// <summary>
/// A test function with a known optimum. optuna_search.py defines the same functions; <see cref="Probe"/> points
/// let the benchmark check that both sides compute the same values before comparing anything.
/// </summary>
internal abstract class BenchProblem
{
    public abstract string Name { get; }

    public abstract SearchGoal Goal { get; }

    public abstract IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The best value the function takes anywhere in its space.</summary>
    public abstract double Optimum { get; }

    public abstract double Evaluate(IReadOnlyList<object?> values);

    /// <summary>How far a value is from the optimum (>= 0, 0 at the optimum).</summary>
    public double Regret(double value) => Goal == SearchGoal.Minimize ? value - Optimum : Optimum - value;

    /// <summary>The i-th probe point: coordinate j at u = frac((i + 1) * 0.618034 + (j + 1) * 0.414214).</summary>
    public object?[] Probe(int i) =>
        [.. Parameters.Select((p, j) => ParameterSampling.At(p, Fraction(((i + 1) * 0.618034) + ((j + 1) * 0.414214))))];

    protected static RangeParameter Uniform(string name, double min, double max) => new(Field(name, FieldKind.Real), Distribution.Uniform, min, max);

    protected static RangeParameter LogUniform(string name, double min, double max) => new(Field(name, FieldKind.Real), Distribution.LogUniform, min, max);

    protected static ChoiceParameter Choice(string name, params string[] values) => new(Field(name, FieldKind.Choice), values);

    protected static double Number(object? value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static double Fraction(double x) => x - Math.Floor(x);

    // Benchmark coordinates are not training settings: a field that only carries the name.
    private static TrainingConfigField Field(string name, FieldKind kind) => new(name, kind, _ => null, (c, _) => c);
}
