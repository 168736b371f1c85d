using static TorchSharp.torch;

namespace Experiments.Worker.Training.Optimization;

/// <summary>torch.optim.SGD: L2 weight decay, momentum (dampening 0, buffer = first gradient), optional Nesterov.</summary>
public sealed class FlatSgd(FlatParameters parameters, double weightDecay, double momentum, bool nesterov) : FlatOptimizer(parameters)
{
    private readonly Tensor momentumBuffer = zeros_like(parameters.Values);

    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["momentum_buffer"] = momentumBuffer };

    protected override void Update(double lr)
    {
        var param = Flat.Values;
        var step = Flat.Gradients;
        if (weightDecay != 0)
            step = step.add(param, alpha: weightDecay);

        if (momentum != 0)
        {
            if (Step == 1)
                momentumBuffer.copy_(step);
            else
                momentumBuffer.mul_(momentum).add_(step);
            step = nesterov ? step.add(momentumBuffer, alpha: momentum) : momentumBuffer;
        }
        param.add_(step, alpha: -lr);
    }

    public override void Dispose()
    {
        momentumBuffer.Dispose();
        base.Dispose();
    }
}
