using System.Text.Json;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Tests.Shared;
using Experiments.Worker.Tests.Peers;
using Experiments.Worker.Tests.Training;
using Experiments.Worker.Training;
using Experiments.Worker.Training.Model;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Model;

/// <summary>
/// The torchvision baseline: a ResNet-34 state dict written by Debian's python3-torchvision, with its 1000-class head,
/// placed at <c>&lt;checkpoint root&gt;/imports/&lt;id&gt;.pt</c>, seeds every layer but the head, which is fresh for 10 classes.
/// </summary>
public sealed class TorchvisionWeightsTests : IDisposable
{
    private const string Id = "torchvision-resnet34";
    private readonly TrainerFixture fixture = new();

    [Trait("Category", "Slow")] // PyTorch builds and runs a ResNet-34
    [SkippableFact]
    public void ATorchvisionStateDictWithItsThousandClassHeadLoadsWithTheHeadReplacedForTenClasses()
    {
        TorchPeer.SkipUnlessAvailable();
        var written = WriteTorchvisionWeights();

        using var scope = NewDisposeScope();
        manual_seed(8);
        using var model = new ResNet34(3, 10, ResNetStem.ImageNet, WeightInit.Torchvision);
        using var freshHead = model.state_dict()["fc.weight"].clone();
        var lines = new List<string>();
        InitialWeights.Load(model, Id, fixture.Store, lines.Add);

        var state = model.state_dict();
        Assert.Equal(written.Keys.Order(), state.Keys.Order());
        foreach (var (name, tensor) in state.Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal)))
        {
            var t = tensor.to_type(ScalarType.Float64);
            double sum = t.sum().item<double>(), squares = t.pow(2).sum().item<double>();
            Assert.True(Close(sum, written[name][0]) && Close(squares, written[name][1]),
                $"{name}: sum {sum}, squares {squares}; torchvision's file {written[name][0]}, {written[name][1]}");
        }
        Assert.Equal([10L, 512], state["fc.weight"].shape);
        Assert.Equal([10L], state["fc.bias"].shape);
        Assert.True(state["fc.weight"].eq(freshHead).all().item<bool>(), "the 10-class head must stay as initialised");
        Assert.Contains(lines, l => l.Contains("fc.weight has shape [1000,512]", StringComparison.Ordinal) && l.Contains("keeping the fresh classifier", StringComparison.Ordinal));
        Assert.Contains($"Initialised weights from '{Id}'.", lines);
    }

    [Trait("Category", "Slow")] // trains whole epochs
    [SkippableFact]
    public async Task ATrialWithTheTorchvisionBaselinesSettingsTrainsFromTheImportedWeights()
    {
        TorchPeer.SkipUnlessAvailable();
        WriteTorchvisionWeights();
        var baseline = ExampleSweep("torchvision-baseline.yaml");
        var config = TrainerFixture.Tiny(epochs: 1) with { InitFrom = baseline.InitFrom, Init = baseline.Init, Stem = baseline.Stem };
        var observer = new RecordingObserver();

        var outcome = await fixture.NewTrainer().TrainAsync(new TrialRun("baseline", 1, config, "cpu"), observer, CancellationToken.None);

        Assert.Equal(OutcomeKind.Completed, outcome.Kind);
        Assert.Contains($"Initialised weights from '{Id}'.", observer.Lines);
    }

    private Dictionary<string, double[]> WriteTorchvisionWeights()
    {
        var path = fixture.Store.ImportPath(Id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var output = TorchPeer.Run("torch_write_torchvision.py", path);
        return JsonSerializer.Deserialize<Dictionary<string, double[]>>(output)!;
    }

    private static TrainingConfig ExampleSweep(string file)
    {
        var text = File.ReadAllText(RepositoryPaths.SweepFile(file));
        return SweepSpecParser.Parse(text, new SweepLimits()).Trials.Single().Config;
    }

    private static bool Close(double ours, double theirs) => Math.Abs(ours - theirs) <= 1e-9 * Math.Max(1, Math.Abs(theirs));

    public void Dispose() => fixture.Dispose();
}
