using Experiments.Core.Checkpoints;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard;

/// <summary>Lets the Dashboard list and download checkpoints (by id only) from the workers' checkpoint root.</summary>
public static class CheckpointRegistration
{
    public static IHostApplicationBuilder AddCheckpointDownloads(this IHostApplicationBuilder builder)
    {
        // The same option the Worker writes with (Checkpoints:Root).
        var section = builder.Configuration.GetSection(CheckpointOptions.SectionName);
        builder.Services.AddOptions<CheckpointOptions>().Bind(section);

        // Without a configured root the Trial page simply lists no checkpoints: the option's default, a relative
        // folder, would be the Dashboard's own working folder, where no worker writes.
        if (builder.Configuration[CheckpointOptions.RootKey] is { Length: > 0 })
        {
            builder.Services.AddSingleton(sp => new CheckpointStore(sp.GetRequiredService<IOptions<CheckpointOptions>>().Value.Root));
        }

        return builder;
    }
}
