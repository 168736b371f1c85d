namespace Experiments.Core.Specs;

/// <summary>A validated entry of <c>parameters:</c>: how one <see cref="TrainingConfigField"/> takes its value per trial.</summary>
internal abstract record ParameterSpec(TrainingConfigField Field)
{
    /// <summary>Whether the sweep varies it (so it is shown in <see cref="PlannedTrial.Parameters"/>).</summary>
    public abstract bool Varies { get; }
}

/// <summary><c>value: x</c>: every trial gets x.</summary>
internal sealed record FixedParameter(TrainingConfigField Field, object? Value) : ParameterSpec(Field)
{
    public override bool Varies => false;
}

/// <summary><c>values: [...]</c>: every value in a grid, a uniform choice when sampling.</summary>
internal sealed record ChoiceParameter(TrainingConfigField Field, IReadOnlyList<object?> Values) : ParameterSpec(Field)
{
    public override bool Varies => true;
}

internal enum Distribution
{
    Uniform,
    LogUniform,
    IntUniform,
}

/// <summary><c>distribution: ...</c> with <c>min</c> and <c>max</c> (both inclusive for <c>int_uniform</c>).</summary>
internal sealed record RangeParameter(TrainingConfigField Field, Distribution Distribution, double Min, double Max) : ParameterSpec(Field)
{
    public override bool Varies => true;

    /// <summary>
    /// <c>int_uniform</c> only: the spacing of the values from <see cref="Min"/> (1 = every integer). The largest
    /// value taken is the last step at or below <see cref="Max"/>.
    /// </summary>
    public int Step { get; init; } = 1;

    /// <summary><c>int_uniform</c>: the largest value on the step grid, at or below <see cref="Max"/>.</summary>
    public long TopOfGrid => (long)Min + ((((long)Max - (long)Min) / Step) * Step);
}
