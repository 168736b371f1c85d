using Experiments.Core.Queue;
using StackExchange.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.Core;

/// <summary>Registers the store client, its options and the queue API for Worker and Dashboard.</summary>
public static class StoreRegistration
{
    /// <summary>The resource name the AppHost gives the store: the contract between host and clients.</summary>
    public const string ConnectionName = "store";

    /// <param name="builder">The host builder.</param>
    /// <param name="connectionName">The connection string's name.</param>
    /// <param name="configureClient">Adjusts the client's options after the connection string is read.</param>
    public static IHostApplicationBuilder AddTrialStore(this IHostApplicationBuilder builder, string connectionName = ConnectionName, Action<ConfigurationOptions>? configureClient = null)
    {
        UseDedicatedClientThreads();
        builder.AddRedisClient(connectionName, configureOptions: configureClient);
        builder.Services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StoreOptions>, ValidateStoreOptions>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<StoreOptions>>().Value);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SweepStore>();
        builder.Services.AddSingleton<TrialQueue>();
        // Before any other hosted service touches the queue: a store that may evict keys, or a cluster our keys would
        // spread over, is refused at start.
        builder.Services.AddHostedService<StoreRequirementsGuard>();
        return builder;
    }

    /// <summary>
    /// Store connections are read and written by threads the client owns, not by the thread pool: a lease renewal
    /// (a blocking call from the lease keeper's own thread) must get its reply while a busy process has every pool
    /// thread taken, or a healthy worker loses its trial. Process-wide; call before the first connection is made.
    /// </summary>
    public static void UseDedicatedClientThreads() => ConnectionMultiplexer.SetFeatureFlag("DedicatedThreads", true);
}
