using Experiments.AppHost.Supervision;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.AppHost.Store;

/// <summary>The store as consumers see it: a connection string by name, and the server to wait for (if we run one).</summary>
public sealed record ExperimentsStore(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource>? Server);

/// <summary>Adds the store the way <c>Store:Mode</c> asks; the resource name is the client's connection name.</summary>
public static class StoreResourceExtensions
{
    public static ExperimentsStore AddExperimentsStore(this IDistributedApplicationBuilder builder, string name, string repositoryRoot)
    {
        var settings = StoreSettings.From(builder.Configuration, repositoryRoot);
        return settings.Mode switch
        {
            StoreMode.Embedded => builder.AddEmbeddedGarnet(name, settings),
            StoreMode.RedisServer => builder.AddLocalRedisServer(name, settings),
            StoreMode.Container => builder.AddRedisContainer(name),
            StoreMode.External => new ExperimentsStore(builder.AddConnectionString(name).AsConnection(), null),
            _ => throw new InvalidOperationException($"Unknown store mode {settings.Mode}."),
        };
    }

    /// <summary>
    /// References the store, passes on the queue settings given to the AppHost (every service must use the same),
    /// and, when the AppHost runs the store, waits until it answers PING.
    /// </summary>
    public static IResourceBuilder<T> WithStore<T>(this IResourceBuilder<T> resource, ExperimentsStore store)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        resource.WithReference(store.Connection);
        foreach (var key in ServiceSettings.SharedStoreSettings)
        {
            if (resource.ApplicationBuilder.Configuration[key] is { Length: > 0 } value)
            {
                resource.WithEnvironment(ServiceSettings.Environment(key), value);
            }
        }

        if (store.Server is { } server)
        {
            resource.WaitFor(server);
        }

        return resource;
    }

    private static ExperimentsStore AddEmbeddedGarnet(this IDistributedApplicationBuilder builder, string name, StoreSettings settings)
    {
        var password = builder.AddStorePassword(name);
        var server = builder.AddProject<Projects.GarnetStore>($"{name}-garnet")
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "STORE_PORT")
            .WithEnvironment("STORE_PASSWORD", password)
            .WithEnvironment("STORE_DATA_DIR", settings.DataDirectory)
            .WithRestartOnCrash();
        if (settings.BindAddress is { } bind && settings.Port is { } port)
        {
            // Other machines reach the store itself, not a proxy of the orchestrator's on loopback: a fixed port, no proxy,
            // and the services here connect to the same address (Aspire turns 0.0.0.0 and :: into localhost for them).
            server.WithEnvironment("STORE_BIND", bind.ToString())
                .WithEndpoint("tcp", endpoint =>
                {
                    endpoint.IsProxied = false;
                    endpoint.Port = port;
                    endpoint.TargetPort = port;
                    endpoint.TargetHost = bind.ToString();
                });
        }

        return builder.WithPingedConnection(name, server, password);
    }

    private static ExperimentsStore AddLocalRedisServer(this IDistributedApplicationBuilder builder, string name, StoreSettings settings)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        var password = builder.AddStorePassword(name);
        var server = builder.AddExecutable($"{name}-redis", settings.RedisServerPath, settings.DataDirectory)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .WithRestartOnCrash();
        var endpoint = server.GetEndpoint("tcp");
        // The password and durability settings go in a 0600 config file, never on the command line.
        server.WithArgs(async context =>
        {
            var configFile = Path.Combine(settings.DataDirectory, RedisServerConfig.FileName);
            if (context.ExecutionContext.IsRunMode)
            {
                var secret = await password.Resource.GetValueAsync(context.CancellationToken)
                    ?? throw new InvalidOperationException($"The parameter '{password.Resource.Name}' has no value.");
                configFile = await RedisServerConfig.WriteAsync(settings.DataDirectory, secret, context.CancellationToken);
            }

            context.Args.Add(configFile);
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
        });
        return builder.WithPingedConnection(name, server, password);
    }

    private static ExperimentsStore AddRedisContainer(this IDistributedApplicationBuilder builder, string name)
    {
        if (ContainerRuntimeProbe.FindRunningRuntime() is null)
        {
            throw new InvalidOperationException(
                "Store:Mode is 'container' but neither 'docker info' nor 'podman info' found a running container engine. " +
                "Start Docker or Podman, or use Store:Mode=embedded (the default, needs only the .NET SDK) or Store:Mode=redis-server.");
        }

        var redis = builder.AddRedis(name)
            .WithDataVolume()
            .WithPersistence(interval: TimeSpan.FromSeconds(1), keysChangedThreshold: 1)
            .WithArgs("--appendonly", "yes", "--appendfsync", "always");
        return new ExperimentsStore(redis.AsConnection(), redis.AsResource());
    }

    private static IResourceBuilder<ParameterResource> AddStorePassword(this IDistributedApplicationBuilder builder, string name)
        => builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

    private static ExperimentsStore WithPingedConnection<TServer>(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<TServer> server,
        IResourceBuilder<ParameterResource> password)
        where TServer : IResourceWithEndpoints
    {
        var endpoint = server.GetEndpoint("tcp");
        var connection = builder.AddConnectionString(
            name,
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password.Resource}"));
        var healthCheckKey = $"{name}-ping";
        // One instance keeps one connection across checks instead of one per probe.
        var ping = new StorePingHealthCheck(connection.Resource);
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey, _ => ping, failureStatus: null, tags: null));
        server.WithHealthCheck(healthCheckKey);
        return new ExperimentsStore(connection.AsConnection(), server.AsResource());
    }

    private static IResourceBuilder<IResourceWithConnectionString> AsConnection<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString
        => builder.ApplicationBuilder.CreateResourceBuilder<IResourceWithConnectionString>(builder.Resource);

    private static IResourceBuilder<IResource> AsResource<T>(this IResourceBuilder<T> builder)
        where T : IResource
        => builder.ApplicationBuilder.CreateResourceBuilder<IResource>(builder.Resource);
}
