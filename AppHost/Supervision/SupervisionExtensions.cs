using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Experiments.AppHost.Supervision;

/// <summary>
/// Aspire has no restart policy (a killed project stays down until a person presses Start): these add ours.
/// </summary>
public static class SupervisionExtensions
{
    /// <summary>Runs the supervisor that restarts every resource marked <see cref="WithRestartOnCrash{T}"/>.</summary>
    public static IDistributedApplicationBuilder AddCrashRestarts(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddOptions<CrashRestartOptions>()
            .Bind(builder.Configuration.GetSection(CrashRestartOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CrashRestartOptions>, ValidateCrashRestartOptions>();
        builder.Services.AddHostedService<CrashRestartSupervisor>();
        return builder;
    }

    /// <summary>Restarts this resource (each replica on its own) with backoff when it exits without being asked to.</summary>
    public static IResourceBuilder<T> WithRestartOnCrash<T>(this IResourceBuilder<T> resource)
        where T : IResource
        => resource.WithAnnotation(new RestartOnCrashAnnotation(), ResourceAnnotationMutationBehavior.Replace);
}
