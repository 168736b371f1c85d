using static TorchSharp.torch;

namespace Experiments.Worker.Training.Optimization;

/// <summary>
/// Adam (L2 weight decay added to the gradient) or AdamW (decoupled decay), betas (0.9, 0.999), eps 1e-8:
/// torch.optim.Adam's single-tensor formulas, on one buffer.
/// </summary>
public sealed class FlatAdam(FlatParameters parameters, double weightDecay, bool decoupledWeightDecay) : FlatOptimizer(parameters)
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    // On the CPU the moments live in managed memory too, for the fused pass; elsewhere they are plain tensors.
    private readonly (HostBuffer? Host, Tensor Tensor) firstMoment = Moment(parameters);
    private readonly (HostBuffer? Host, Tensor Tensor) secondMoment = Moment(parameters);

    private Tensor expAvg => firstMoment.Tensor;
    private Tensor expAvgSq => secondMoment.Tensor;
    private HostBuffer? hostExpAvg => firstMoment.Host;
    private HostBuffer? hostExpAvgSq => secondMoment.Host;

    private static (HostBuffer?, Tensor) Moment(FlatParameters parameters)
    {
        if (parameters.HostValues is { } values)
        {
            var host = HostBuffer.Zeros(values.Length);
            return (host, host.Tensor);
        }

        return (null, zeros_like(parameters.Values));
    }

    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>
    {
        ["exp_avg"] = expAvg,
        ["exp_avg_sq"] = expAvgSq,
    };

    /// <summary>
    /// Elements updated together. All of Adam's passes run over one cache-sized chunk before the next, so the
    /// update stays in L2/L3 instead of streaming 21M floats through memory ten times (measured in bench/throughput).
    /// </summary>
    internal static long ChunkElements { get; set; } = 1 << 18;

    protected override void Update(double lr)
    {
        double biasCorrection1 = 1 - Math.Pow(Beta1, Step);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, Step));
        double stepSize = lr / biasCorrection1;
        if (hostExpAvg is not null && hostExpAvgSq is not null && Flat.HostValues is { } values && Flat.HostGradients is { } gradients)
        {
            var scalars = new FusedAdamKernel.Scalars(
                (float)Beta1, (float)Beta2, (float)stepSize, (float)biasCorrection2Sqrt, (float)Epsilon,
                (float)weightDecay, (float)(1 - lr * weightDecay), decoupledWeightDecay && weightDecay != 0);
            FusedAdamKernel.Apply(values, gradients, hostExpAvg.Array, hostExpAvgSq.Array, scalars, get_num_threads());
            return;
        }

        long total = Flat.Values.shape[0];
        for (long offset = 0; offset < total; offset += ChunkElements)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(ChunkElements, total - offset);
            UpdateChunk(Flat.Values.narrow(0, offset, count), Flat.Gradients.narrow(0, offset, count),
                expAvg.narrow(0, offset, count), expAvgSq.narrow(0, offset, count), lr, stepSize, biasCorrection2Sqrt);
        }
    }

    private void UpdateChunk(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double stepSize, double biasCorrection2Sqrt)
    {
        if (weightDecay != 0)
        {
            if (decoupledWeightDecay)
                param.mul_(1 - lr * weightDecay);
            else
                grad = grad.add(param, alpha: weightDecay);
        }

        m.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        v.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
        var denom = v.sqrt().div_(biasCorrection2Sqrt).add_(Epsilon);
        param.addcdiv_(m, denom, value: -stepSize);
    }

    public override void Dispose()
    {
        expAvg.Dispose();
        expAvgSq.Dispose();
        base.Dispose();
    }
}
