using Experiments.Core.Specs;
using Experiments.Worker.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Optimization;

public sealed class FlatOptimizerTests
{
    private static Sequential SmallNet(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3));
    }

    private static void Loss(Sequential net, int step)
    {
        using var scope = NewDisposeScope();
        manual_seed(100 + step);
        var x = randn(4, 6);
        net.call(x).pow(2).sum().backward();
    }

    [Theory]
    [InlineData(Optimizer.Adam, 0.0)]
    [InlineData(Optimizer.Adam, 0.01)]
    [InlineData(Optimizer.AdamW, 0.01)]
    [InlineData(Optimizer.Sgd, 0.01)]
    public void MatchesTorchSharpsOptimizerOverSeveralSteps(Optimizer kind, double weightDecay)
    {
        using var reference = SmallNet(1);
        using var flatNet = SmallNet(1);
        var config = new TrainingConfig { Optimizer = kind, WeightDecay = weightDecay, Momentum = 0.9, Nesterov = true };
        using var flat = new FlatParameters([.. flatNet.parameters()]);
        using var optimizer = FlatOptimizer.Create(config, flat);
        optim.Optimizer expected = kind switch
        {
            Optimizer.Adam => optim.Adam(reference.parameters(), lr: 0.01, weight_decay: weightDecay),
            Optimizer.AdamW => optim.AdamW(reference.parameters(), lr: 0.01, weight_decay: weightDecay),
            _ => optim.SGD(reference.parameters(), 0.01, momentum: 0.9, weight_decay: weightDecay, nesterov: true),
        };

        for (int step = 0; step < 5; step++)
        {
            expected.zero_grad();
            Loss(reference, step);
            expected.step();
            flat.ZeroGrad();
            Loss(flatNet, step);
            optimizer.Apply(0.01);
        }

        // The CPU Adam is one fused pass that rounds in another order than libtorch's separate kernels: a few ulp
        // apart after five steps, where a wrong formula or hyperparameter is off by orders of magnitude more.
        foreach (var (a, b) in reference.parameters().Zip(flatNet.parameters()))
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), $"{kind}: max diff {(a - b).abs().max().item<float>()}");
    }

    [Fact]
    public void ParametersAndGradientsAreViewsOfTheFlatBuffers()
    {
        using var net = SmallNet(3);
        using var flat = new FlatParameters([.. net.parameters()]);
        Loss(net, 0);
        Assert.Equal(flat.Gradients.abs().sum().item<float>(), net.parameters().Sum(p => p.grad!.abs().sum().item<float>()), 3);
        flat.ZeroGrad();
        Assert.True(net.parameters().All(p => p.grad!.eq(0).all().item<bool>()));
        using (no_grad())
            flat.Values.fill_(0.5);
        Assert.True(net.parameters().All(p => p.eq(0.5).all().item<bool>()));
    }
}
