using Experiments.Core.Checkpoints;

namespace Experiments.Dashboard;

/// <summary>Lets the Dashboard list and download checkpoints (by id only) from the workers' checkpoint root.</summary>
public static class CheckpointRegistration
{
    public const string RootKey = "Checkpoints:Root";

    public static IHostApplicationBuilder AddCheckpointDownloads(this IHostApplicationBuilder builder)
    {
        // Without a configured root the Trial page simply lists no checkpoints.
        if (builder.Configuration[RootKey] is { Length: > 0 } root)
        {
            builder.Services.AddSingleton(new CheckpointStore(root));
        }

        return builder;
    }
}
