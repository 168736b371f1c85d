using System.Text.Json;
using Experiments.Core.Specs;
using Experiments.Worker.Tests.Peers;
using Experiments.Worker.Training.Model;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Model;

/// <summary>
/// <c>init: pytorch | torchvision</c> against Debian's python3-torch: every state-dict entry of a fresh model has the
/// statistics PyTorch's own initialisation gives the same shape (constants exactly, random layers within sampling
/// error). The two inits differ by 2-3x in spread per layer, so a swapped or missing init fails here.
/// </summary>
public sealed class InitialisationTests
{
    public static TheoryData<WeightInit, ResNetStem, int> Cases => new()
    {
        { WeightInit.PyTorch, ResNetStem.ImageNet, 3 },
        { WeightInit.PyTorch, ResNetStem.Cifar, 3 },
        { WeightInit.Torchvision, ResNetStem.ImageNet, 3 },
        { WeightInit.Torchvision, ResNetStem.Cifar, 3 },
        { WeightInit.PyTorch, ResNetStem.ImageNet, 1 },
    };

    private static readonly Lazy<JsonElement> Reference = new(() =>
    {
        var arguments = Cases.SelectMany(c => new[] { ((WeightInit)c[0]).ToSpelling(), ((ResNetStem)c[1]).ToSpelling(), c[2].ToString()!, "10" }).ToArray();
        return JsonDocument.Parse(TorchPeer.Run("torch_init_stats.py", arguments)).RootElement;
    });

    [Trait("Category", "Slow")] // builds five ResNet-34s on each side
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryLayerStartsWithPyTorchsStatisticsForTheSameShape(WeightInit init, ResNetStem stem, int channels)
    {
        TorchPeer.SkipUnlessAvailable();
        int index = Cases.Select((c, i) => (c, i)).Single(p => (WeightInit)p.c[0] == init && (ResNetStem)p.c[1] == stem && (int)p.c[2] == channels).i;
        var reference = Reference.Value[index];

        manual_seed(5);
        using var model = new ResNet34(channels, 10, stem, init);
        var state = model.state_dict();
        Assert.Equal(reference.EnumerateObject().Select(p => p.Name).Order(), state.Keys.Order());
        foreach (var (name, tensor) in state)
        {
            var expected = reference.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var ours = Statistics(tensor);
            Assert.True(expected[0] == ours[0], $"{name}: {ours[0]} elements, PyTorch {expected[0]}");
            string where = $"{name} ({init}, {stem}): ours mean {ours[1]:G4} std {ours[2]:G4} range [{ours[3]:G4}, {ours[4]:G4}], " +
                           $"PyTorch mean {expected[1]:G4} std {expected[2]:G4} range [{expected[3]:G4}, {expected[4]:G4}]";
            if (expected[2] == 0)
            {
                // Constants (BatchNorm weight 1 and bias 0, running statistics): exactly.
                Assert.True(ours[2] == 0 && ours[1] == expected[1], where);
                continue;
            }
            double absMax = Math.Max(Math.Abs(ours[3]), Math.Abs(ours[4]));
            if (expected[0] < 1000)
            {
                // The classifier's ten biases are too few to compare spreads: within PyTorch's bound, and not constant.
                Assert.True(expected[5] > 0 && absMax <= expected[5] && ours[2] > 0.2 * expected[5], where + $", bound {expected[5]:G4}");
                continue;
            }
            // Random layers of >= 1,000 draws: the same distribution, mean and spread within ~4 standard errors.
            Assert.True(Math.Abs(ours[2] - expected[2]) <= 0.10 * expected[2], where);
            Assert.True(Math.Abs(ours[1] - expected[1]) <= 0.15 * expected[2], where);
            // PyTorch's uniform draws reach their bound within a hair at this size; normal draws vary in their extremes.
            double bound = Math.Max(Math.Abs(expected[3]), Math.Abs(expected[4]));
            Assert.True(absMax <= (init == WeightInit.PyTorch ? 1.02 : 1.5) * bound, where);
        }
    }

    private static double[] Statistics(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var t = tensor.to_type(ScalarType.Float64);
        double std = t.numel() > 1 ? t.std(unbiased: false).item<double>() : 0;
        return [t.numel(), t.mean().item<double>(), std, t.min().item<double>(), t.max().item<double>()];
    }
}
