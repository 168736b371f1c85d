using Experiments.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.Core;

/// <summary>Registers the store client, its options and the queue API for Worker and Dashboard.</summary>
public static class StoreRegistration
{
    /// <summary>The resource name the AppHost gives the store: the contract between host and clients.</summary>
    public const string ConnectionName = "store";

    public static IHostApplicationBuilder AddTrialStore(this IHostApplicationBuilder builder, string connectionName = ConnectionName)
    {
        builder.AddRedisClient(connectionName);
        builder.Services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StoreOptions>, ValidateStoreOptions>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<StoreOptions>>().Value);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SweepStore>();
        builder.Services.AddSingleton<TrialQueue>();
        return builder;
    }
}
