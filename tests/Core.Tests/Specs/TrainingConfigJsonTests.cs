using System.Text.Json;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class TrainingConfigJsonTests
{
    [Fact]
    public void ConfigRoundTripsWithSnakeCaseNames()
    {
        var config = new TrainingConfig { WeightDecay = 5e-4, WarmupEpochs = 2, InitFrom = "resnet34", Device = "cuda:1", Nesterov = true };

        var json = TrainingConfigJson.Serialize(config);

        Assert.Contains("\"weight_decay\":0.0005", json);
        Assert.Contains("\"warmup_epochs\":2", json);
        Assert.Contains("\"init_from\":\"resnet34\"", json);
        Assert.Equal(config, TrainingConfigJson.Deserialize(json));
    }

    [Fact]
    public void EveryConfigPropertyIsASweepSettingUnderItsJsonName()
    {
        // A property added to TrainingConfig without a sweep field (or named differently) fails here.
        var jsonNames = JsonDocument.Parse(TrainingConfigJson.Serialize(new TrainingConfig())).RootElement.EnumerateObject().Select(p => p.Name);

        Assert.Equal(jsonNames.Order(), TrainingConfigFields.All.Select(f => f.Name).Order());
    }

    [Fact]
    public void EverySweepFieldReadsAndWritesItsOwnProperty()
    {
        var defaults = new TrainingConfig();
        var changed = new Dictionary<string, object?>
        {
            ["dataset"] = "synthetic",
            ["synthetic_size"] = 99,
            ["validation_size"] = 7,
            ["epochs"] = 3,
            ["batch_size"] = 5,
            ["optimizer"] = "sgd",
            ["lr"] = 0.5,
            ["weight_decay"] = 0.25,
            ["momentum"] = 0.125,
            ["nesterov"] = true,
            ["label_smoothing"] = 0.0625,
            ["scheduler"] = "step",
            ["step_size"] = 2,
            ["gamma"] = 0.75,
            ["warmup_epochs"] = 1,
            ["augmentation"] = "flip",
            ["stem"] = "cifar",
            ["checkpoint"] = "best",
            ["device"] = "cpu",
            ["seed"] = 11,
            ["init_from"] = "w",
        };

        foreach (var field in TrainingConfigFields.All)
        {
            var updated = field.Set(defaults, changed[field.Name]);
            Assert.Equal(changed[field.Name], field.Get(updated));
            var json = JsonDocument.Parse(TrainingConfigJson.Serialize(updated)).RootElement;
            var differing = json.EnumerateObject()
                .Where(p => p.Value.ToString() != JsonDocument.Parse(TrainingConfigJson.Serialize(defaults)).RootElement.GetProperty(p.Name).ToString())
                .Select(p => p.Name);
            Assert.Equal([field.Name], differing);
        }
    }

    [Fact]
    public void DeserializingNullIsAnError()
    {
        Assert.Throws<JsonException>(() => TrainingConfigJson.Deserialize("null"));
    }
}
