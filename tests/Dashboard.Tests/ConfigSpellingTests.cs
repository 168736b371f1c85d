using System.Text.Json;
using Experiments.Core.Specs;
using Experiments.Dashboard.Api;
using Experiments.Dashboard.Ui.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Tests;

/// <summary>Pages and the API show a config's choices as sweep files spell them, never as C# names.</summary>
public sealed class ConfigSpellingTests
{
    private static readonly TrainingConfig Config = new()
    {
        Dataset = Dataset.FashionMnist, Optimizer = Optimizer.AdamW, Scheduler = Scheduler.OneCycle, Augmentation = Augmentation.CropFlip,
        Stem = ResNetStem.ImageNet, Checkpoint = KeptCheckpoints.BestLast, Device = TrainingDevice.Cuda(1), Lr = 0.003,
    };

    [Fact]
    public void TheConfigTableShowsSweepFileSpellingsInSweepFileOrder()
    {
        var shown = ConfigFields.Of(Config).ToDictionary(f => f.Name, f => f.Value);

        Assert.Equal("dataset", ConfigFields.Of(Config)[0].Name);
        Assert.Equal(
            ["fashion_mnist", "adamw", "onecycle", "crop_flip", "imagenet", "best_last", "cuda:1", "0.003", ""],
            new[] { "dataset", "optimizer", "scheduler", "augmentation", "stem", "checkpoint", "device", "lr", "init_from" }.Select(n => shown[n]));
    }

    [Fact]
    public void TheApiWritesTheSameSpellings()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddSweepApi();
        using var services = builder.Services.BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        var json = JsonDocument.Parse(JsonSerializer.Serialize(Config, options)).RootElement;

        Assert.Equal(
            ["fashion_mnist", "adamw", "onecycle", "crop_flip", "imagenet", "best_last", "cuda:1"],
            new[] { "dataset", "optimizer", "scheduler", "augmentation", "stem", "checkpoint", "device" }.Select(n => json.GetProperty(n).GetString()));
    }
}
