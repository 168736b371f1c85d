using Experiments.Core.Checkpoints;
using Experiments.Worker.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Tests.Training;

public sealed class TrainingRegistrationTests
{
    [Fact]
    public void RegistersTheTrainerWithBoundOptions()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Checkpoints:Root"] = "/tmp/ckpt-root";
        builder.AddTraining();
        using var host = builder.Build();
        Assert.IsType<TrialTrainer>(host.Services.GetRequiredService<ITrialTrainer>());
        Assert.Equal("/tmp/ckpt-root", host.Services.GetRequiredService<IOptions<CheckpointOptions>>().Value.Root);
        Assert.Equal("/tmp/ckpt-root", host.Services.GetRequiredService<CheckpointStore>().Root);
    }

    [Fact]
    public async Task InvalidOptionsFailOnStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Training:Threads"] = "-1";
        builder.AddTraining();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Threads", error.Message);
    }

    [Fact]
    public async Task AHoldInTheStartWithABatchHookFailsOnStartNamingBoth()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Checkpoints:Root"] = "/tmp/ckpt-root";
        builder.Configuration["Training:TestHangInStart"] = "true";
        builder.Configuration["Training:TestCrashInBatch"] = "2";
        builder.AddTraining();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Training:TestHangInStart holds the trainer before its first batch: TestHangInBatch and TestCrashInBatch would never be reached", error.Message);
    }
}
