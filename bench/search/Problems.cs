using Experiments.Core.Search;
using Experiments.Core.Specs;

namespace Experiments.SearchBench;

/// <summary>Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 0.397887.</summary>
internal sealed class Branin : BenchProblem
{
    public override string Name => "branin";

    public override SearchGoal Goal => SearchGoal.Minimize;

    public override IReadOnlyList<ParameterSpec> Parameters { get; } = [Uniform("x1", -5, 10), Uniform("x2", 0, 15)];

    public override double Optimum => 0.397887357729738;

    public override double Evaluate(IReadOnlyList<object?> values)
    {
        double x1 = Number(values[0]), x2 = Number(values[1]);
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        var u = x2 - (b * x1 * x1) + (c * x1) - 6;
        return (u * u) + (10 * (1 - t) * Math.Cos(x1)) + 10;
    }
}

/// <summary>Hartmann-6 on [0, 1]^6; global minimum -3.32237.</summary>
internal sealed class Hartmann6 : BenchProblem
{
    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    public override string Name => "hartmann6";

    public override SearchGoal Goal => SearchGoal.Minimize;

    public override IReadOnlyList<ParameterSpec> Parameters { get; } = [.. Enumerable.Range(1, 6).Select(i => Uniform($"x{i}", 0, 1))];

    public override double Optimum => -3.32236801141551;

    public override double Evaluate(IReadOnlyList<object?> values)
    {
        var total = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = Number(values[j]) - P[i, j];
                inner += A[i, j] * d * d;
            }

            total += Alpha[i] * Math.Exp(-inner);
        }

        return -total;
    }
}

/// <summary>
/// A deterministic stand-in for a ResNet sweep's validation accuracy (maximised): log learning rate, log weight decay,
/// optimizer and scheduler. Each optimizer has its own best learning rate and weight decay (the best weight decay
/// moves with the learning rate), its own peak and tolerance; the scheduler adds a little. Accuracy falls smoothly
/// towards chance (0.10) away from the optimum. Best: sgd + cosine at lr 10^-1.3, weight decay 10^-3.5: 0.945.
/// </summary>
internal sealed class SweepSurrogate : BenchProblem
{
    private static readonly string[] Optimizers = ["adam", "adamw", "sgd"];
    private static readonly string[] Schedulers = ["none", "step", "cosine"];

    // Per optimizer: peak accuracy, best log10 lr, lr tolerance (decades), best log10 wd, wd tolerance (decades).
    private static readonly double[,] Shape =
    {
        { 0.905, -3.0, 0.8, -5.0, 1.2 },
        { 0.915, -2.8, 0.9, -3.0, 1.0 },
        { 0.925, -1.3, 0.6, -3.5, 0.8 },
    };

    private static readonly double[] SchedulerGain = [0.0, 0.01, 0.02];

    public override string Name => "sweep-surrogate";

    public override SearchGoal Goal => SearchGoal.Maximize;

    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        LogUniform("lr", 1e-5, 1e-1),
        LogUniform("weight_decay", 1e-6, 1e-2),
        Choice("optimizer", Optimizers),
        Choice("scheduler", Schedulers),
    ];

    public override double Optimum => 0.945;

    public override double Evaluate(IReadOnlyList<object?> values)
    {
        var o = Array.IndexOf(Optimizers, (string)values[2]!);
        var s = Array.IndexOf(Schedulers, (string)values[3]!);
        var lr = Math.Log10(Number(values[0]));
        var wd = Math.Log10(Number(values[1]));
        var dLr = (lr - Shape[o, 1]) / Shape[o, 2];
        // A larger learning rate wants less weight decay: the ridge runs diagonally.
        var dWd = (wd - Shape[o, 3] + (0.5 * (lr - Shape[o, 1]))) / Shape[o, 4];
        var peak = Shape[o, 0] + SchedulerGain[s];
        return 0.10 + ((peak - 0.10) * Math.Exp(-0.5 * ((dLr * dLr) + (dWd * dWd))));
    }
}
