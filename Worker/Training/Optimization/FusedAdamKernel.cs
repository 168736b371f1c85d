using System.Numerics;
using System.Runtime.InteropServices;

namespace Experiments.Worker.Training.Optimization;

/// <summary>
/// Adam's whole update in one pass over memory: each element's gradient, moments and weight are read once and
/// written once, where libtorch runs five or six separate kernels. Same formulas as torch.optim.Adam (single tensor).
/// </summary>
internal static class FusedAdamKernel
{
    /// <summary>Elements one worker thread updates at a time: large enough to amortize scheduling, small enough to balance.</summary>
    private const int BlockElements = 1 << 16;

    public readonly record struct Scalars(float Beta1, float Beta2, float StepSize, float BiasCorrection2Sqrt, float Epsilon, float WeightDecay, float DecayFactor, bool Decoupled);

    public static void Apply(float[] parameters, float[] gradients, float[] expAvg, float[] expAvgSq, Scalars s, int threads)
    {
        int length = parameters.Length;
        int blocks = (length + BlockElements - 1) / BlockElements;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, block =>
        {
            int start = block * BlockElements;
            int count = Math.Min(BlockElements, length - start);
            Update(parameters.AsSpan(start, count), gradients.AsSpan(start, count), expAvg.AsSpan(start, count), expAvgSq.AsSpan(start, count), s);
        });
    }

    private static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Scalars s)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<float>.Count)
        {
            var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            var beta1 = new Vector<float>(s.Beta1);
            var oneMinusBeta1 = new Vector<float>(1 - s.Beta1);
            var beta2 = new Vector<float>(s.Beta2);
            var oneMinusBeta2 = new Vector<float>(1 - s.Beta2);
            var stepSize = new Vector<float>(s.StepSize);
            var bias2 = new Vector<float>(s.BiasCorrection2Sqrt);
            var epsilon = new Vector<float>(s.Epsilon);
            var weightDecay = new Vector<float>(s.WeightDecay);
            var decay = new Vector<float>(s.DecayFactor);
            for (int k = 0; k < pv.Length; k++)
            {
                var param = pv[k];
                var grad = gv[k];
                if (s.Decoupled)
                    param *= decay;
                else if (s.WeightDecay != 0)
                    grad += param * weightDecay;
                var first = Vector.FusedMultiplyAdd(grad, oneMinusBeta1, mv[k] * beta1);
                var second = vv[k] * beta2 + grad * grad * oneMinusBeta2;
                mv[k] = first;
                vv[k] = second;
                pv[k] = param - stepSize * (first / (Vector.SquareRoot(second) / bias2 + epsilon));
            }

            i = pv.Length * Vector<float>.Count;
        }

        for (; i < p.Length; i++)
        {
            float param = p[i];
            float grad = g[i];
            if (s.Decoupled)
                param *= s.DecayFactor;
            else if (s.WeightDecay != 0)
                grad += param * s.WeightDecay;
            float first = MathF.FusedMultiplyAdd(grad, 1 - s.Beta1, m[i] * s.Beta1);
            float second = v[i] * s.Beta2 + grad * grad * (1 - s.Beta2);
            m[i] = first;
            v[i] = second;
            p[i] = param - s.StepSize * (first / (MathF.Sqrt(second) / s.BiasCorrection2Sqrt + s.Epsilon));
        }
    }
}
