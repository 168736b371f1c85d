using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Experiments.EndToEnd.Tests.Settings;
using Experiments.GarnetStore;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.EndToEnd.Tests;

/// <summary>The AppHost's application model for each <c>Store:Mode</c>, built without starting anything.</summary>
public sealed class StoreModeTests
{
    [Fact]
    public async Task EmbeddedModeRunsGarnetWithAPingHealthCheckAndPassesOneConnectionName()
    {
        await using var app = await BuildAsync("embedded");
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        var garnet = Assert.Single(model.Resources.OfType<ProjectResource>(), r => r.Name == "store-garnet");
        Assert.Contains(garnet.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "store-ping");
        Assert.Single(model.Resources.OfType<IResourceWithConnectionString>(), r => r.Name == "store");
        Assert.Contains(model.Resources, r => r.Name == "worker");
        Assert.Contains(model.Resources, r => r.Name == "dashboard");
    }

    [Fact]
    public async Task RedisServerModeRunsTheLocalBinaryWithFsyncOnEveryWrite()
    {
        await using var app = await BuildAsync("redis-server");
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        var redis = Assert.Single(model.Resources.OfType<ExecutableResource>(), r => r.Name == "store-redis");
        Assert.Equal("redis-server", redis.Command);
        Assert.Contains(redis.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "store-ping");
        Assert.DoesNotContain(model.Resources, r => r.Name == "store-garnet");
    }

    [Fact]
    public async Task ExternalModeRunsNoStoreOfItsOwn()
    {
        await using var app = await BuildAsync("external", "--ConnectionStrings:store=redis.example:6379,password=x");
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.DoesNotContain(model.Resources, r => r.Name is "store-garnet" or "store-redis");
        Assert.Single(model.Resources.OfType<IResourceWithConnectionString>(), r => r.Name == "store");
    }

    [Fact]
    public async Task ContainerModeWithoutAContainerEngineFailsFastSayingWhatToDo()
    {
        // This machine has no Docker or Podman engine; with one, the mode is valid and this test does not apply.
        if (HasContainerEngine())
        {
            return;
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync("container"));

        Assert.Contains("Store:Mode is 'container'", error.Message);
        Assert.Contains("Store:Mode=embedded", error.Message);
    }

    [Fact]
    public async Task UnknownStoreModeIsRefusedNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync("memcached"));

        Assert.Contains("Store:Mode 'memcached'", error.Message);
    }

    [Fact]
    public async Task AnEmbeddedStoreAskedToListenOnANetworkAddressGetsItOnAFixedPortWithoutAProxy()
    {
        await using var app = await BuildAsync("embedded", "--Store:BindAddress=0.0.0.0", "--Store:Port=7391");
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var garnet = Assert.Single(model.Resources.OfType<ProjectResource>(), r => r.Name == "store-garnet");
        var environment = await ServiceEnvironment.OfAsync(app, "store-garnet");

        var endpoint = Assert.Single(garnet.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "tcp");
        Assert.False(endpoint.IsProxied);
        Assert.Equal(7391, endpoint.Port);
        Assert.Equal(7391, endpoint.TargetPort);
        Assert.Equal("0.0.0.0", endpoint.TargetHost);
        // The store host reads what the AppHost gives it the same way: on the network, behind the generated password.
        var arguments = GarnetArguments.Parse(
            [], name => environment.GetValueOrDefault(name) is { } value && value != ServiceEnvironment.UnresolvedPlaceholder ? value : null, "/");
        Assert.True(arguments.ListensBeyondLoopback);
        Assert.Equal("0.0.0.0", arguments.BindAddress.ToString());
        Assert.True(arguments.Password.Length >= GarnetArguments.MinNetworkPasswordLength);
    }

    [Fact]
    public async Task TheEmbeddedStoreStaysOnLoopbackBehindTheProxyUnlessAsked()
    {
        await using var app = await BuildAsync("embedded");
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var garnet = Assert.Single(model.Resources.OfType<ProjectResource>(), r => r.Name == "store-garnet");

        Assert.True(Assert.Single(garnet.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "tcp").IsProxied);
        Assert.DoesNotContain("STORE_BIND", (await ServiceEnvironment.OfAsync(app, "store-garnet")).Keys);
    }

    [Theory]
    [InlineData("embedded", "--Store:BindAddress=store.example.com", "Store:BindAddress 'store.example.com' is not an IP address")]
    [InlineData("embedded", "--Store:Port=99999", "Store:Port '99999' is not a TCP port")]
    [InlineData("redis-server", "--Store:BindAddress=0.0.0.0", "apply to the embedded store only")]
    public async Task AStoreAddressOrPortThatCannotBeUsedIsRefusedNamingTheSetting(string mode, string setting, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync(mode, setting));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachCudaDeviceGetsItsOwnWorker()
    {
        await using var app = await BuildAsync("embedded", "--Workers:Cuda=cuda:0,1");
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.Contains(model.Resources, r => r.Name == "worker-cuda0");
        Assert.Contains(model.Resources, r => r.Name == "worker-cuda1");
    }

    private static async Task<DistributedApplication> BuildAsync(string mode, params string[] extra)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Store:Mode={mode}", $"--Store:DataDirectory={Path.GetTempPath()}experiments-model-test", .. extra]);
        ServiceEnvironment.NeverStarted(builder);
        return await builder.BuildAsync();
    }

    private static bool HasContainerEngine()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            return process is not null && process.WaitForExit(15_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
