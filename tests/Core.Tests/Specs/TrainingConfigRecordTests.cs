using System.Text.Json;
using Experiments.Core.Queue;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

/// <summary>The stored form of a config: the same snake_case names and spellings a sweep file uses, readable across versions.</summary>
public sealed class TrainingConfigRecordTests
{
    // A trial's config exactly as the store held it before the closed sets became enums.
    private const string StoredBeforeEnums =
        """{"dataset":"fashion_mnist","synthetic_size":512,"validation_size":5000,"epochs":3,"batch_size":64,"optimizer":"adamw","lr":0.01,"weight_decay":0.0005,"momentum":0.9,"nesterov":false,"label_smoothing":0.1,"scheduler":"onecycle","step_size":5,"gamma":0.1,"warmup_epochs":1,"augmentation":"crop_flip","stem":"cifar","checkpoint":"best_last","device":"cuda:1","seed":7,"init_from":"resnet34-imagenet"}""";

    [Fact]
    public void ARecordWrittenBeforeTheEnumsReadsAndWritesBackUnchangedButForInit()
    {
        var config = RecordJson.Deserialize<TrainingConfig>(StoredBeforeEnums);

        Assert.Equal(
            new TrainingConfig
            {
                Dataset = Dataset.FashionMnist, Epochs = 3, BatchSize = 64, Optimizer = Optimizer.AdamW, Lr = 0.01, WeightDecay = 0.0005,
                LabelSmoothing = 0.1, Scheduler = Scheduler.OneCycle, WarmupEpochs = 1, Augmentation = Augmentation.CropFlip,
                Stem = ResNetStem.Cifar, Checkpoint = KeptCheckpoints.BestLast, Device = TrainingDevice.Cuda(1), Seed = 7, InitFrom = "resnet34-imagenet",
            },
            config);
        // Settings added since read as their defaults and are written out with them: `init` (a record without it ran with
        // torchvision's initialisation) and `precision` (fp32).
        Assert.Equal(WeightInit.Torchvision, config.Init);
        Assert.Equal(Precision.Fp32, config.Precision);
        Assert.Equal(StoredBeforeEnums.Replace("\"seed\"", "\"precision\":\"fp32\",\"seed\"", StringComparison.Ordinal)[..^1] + ""","init":"torchvision"}""", RecordJson.Serialize(config));
    }

    [Fact]
    public void EveryConfigPropertyIsASweepSettingUnderItsJsonName()
    {
        // A property added to TrainingConfig without a sweep field (or named differently) fails here.
        var jsonNames = JsonDocument.Parse(RecordJson.Serialize(new TrainingConfig())).RootElement.EnumerateObject().Select(p => p.Name);

        Assert.Equal(jsonNames.Order(), TrainingConfigFields.All.Select(f => f.Name).Order());
    }

    [Fact]
    public void EverySweepFieldReadsAndWritesItsOwnProperty()
    {
        var defaults = new TrainingConfig();
        var changed = new Dictionary<string, object?>
        {
            ["dataset"] = Dataset.Synthetic, ["synthetic_size"] = 99, ["validation_size"] = 7, ["epochs"] = 3, ["batch_size"] = 5,
            ["optimizer"] = Optimizer.Sgd, ["lr"] = 0.5, ["weight_decay"] = 0.25, ["momentum"] = 0.125, ["nesterov"] = true,
            ["label_smoothing"] = 0.0625, ["scheduler"] = Scheduler.Step, ["step_size"] = 2, ["gamma"] = 0.75, ["warmup_epochs"] = 1,
            ["augmentation"] = Augmentation.Flip, ["stem"] = ResNetStem.Cifar, ["checkpoint"] = KeptCheckpoints.Best, ["device"] = TrainingDevice.Cpu,
            ["precision"] = Precision.Bf16, ["seed"] = 11, ["init_from"] = "w", ["init"] = WeightInit.PyTorch,
        };
        var defaultJson = JsonDocument.Parse(RecordJson.Serialize(defaults)).RootElement;

        foreach (var field in TrainingConfigFields.All)
        {
            var updated = field.Set(defaults, changed[field.Name]);
            Assert.Equal(changed[field.Name], field.Get(updated));
            var differing = JsonDocument.Parse(RecordJson.Serialize(updated)).RootElement.EnumerateObject()
                .Where(p => p.Value.ToString() != defaultJson.GetProperty(p.Name).ToString())
                .Select(p => p.Name);
            Assert.Equal([field.Name], differing);
        }
    }

    [Fact]
    public void EveryChoiceIsStoredAsItsSweepFileSpelling()
    {
        foreach (var field in TrainingConfigFields.All.Where(f => f.Kind == FieldKind.Choice))
        {
            foreach (var spelling in field.Choices.Where(c => c != "cuda:N").Append(field.Name == "device" ? "cuda:12" : field.Choices[0]))
            {
                var config = field.Set(new TrainingConfig(), field.Parse(spelling));

                var stored = JsonDocument.Parse(RecordJson.Serialize(config)).RootElement.GetProperty(field.Name).GetString();

                Assert.Equal(spelling, stored);
                Assert.Equal(config, RecordJson.Deserialize<TrainingConfig>(RecordJson.Serialize(config)));
            }
        }
    }

    [Theory]
    [InlineData("optimizer", "\"lion\"")]
    [InlineData("device", "\"gpu\"")]
    [InlineData("device", "\"cuda:123\"")]
    public void AStoredSpellingNoReleaseUsedIsAnError(string field, string value)
    {
        var json = StoredBeforeEnums.Replace($"\"{field}\":", $"\"{field}\":{value},\"was_{field}\":", StringComparison.Ordinal);

        Assert.ThrowsAny<JsonException>(() => RecordJson.Deserialize<TrainingConfig>(json));
    }
}
