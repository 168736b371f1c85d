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

    private readonly Tensor expAvg = zeros_like(parameters.Values);
    private readonly Tensor expAvgSq = zeros_like(parameters.Values);

    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>
    {
        ["exp_avg"] = expAvg,
        ["exp_avg_sq"] = expAvgSq,
    };

    protected override void Update(double lr)
    {
        var param = Flat.Values;
        var grad = Flat.Gradients;
        if (weightDecay != 0)
        {
            if (decoupledWeightDecay)
                param.mul_(1 - lr * weightDecay);
            else
                grad = grad.add(param, alpha: weightDecay);
        }

        expAvg.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        expAvgSq.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);

        double biasCorrection1 = 1 - Math.Pow(Beta1, Step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, Step);
        double stepSize = lr / biasCorrection1;
        var denom = expAvgSq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(Epsilon);
        param.addcdiv_(expAvg, denom, value: -stepSize);
    }

    public override void Dispose()
    {
        expAvg.Dispose();
        expAvgSq.Dispose();
        base.Dispose();
    }
}
