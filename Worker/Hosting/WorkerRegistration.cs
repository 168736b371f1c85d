using Experiments.Core;
using Experiments.Worker.Hosting.TrialProcess;
using Experiments.Worker.Training;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>Registers the queue-driven worker: store client, options, metrics, the loop, the reaper and the cleanup.</summary>
public static class WorkerRegistration
{
    public static IHostApplicationBuilder AddTrialWorker(this IHostApplicationBuilder builder)
    {
        builder.AddTrialStore();
        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WorkerOptions>, ValidateWorkerOptions>();
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton<TrialProcessTrainer>();
        // Replaces the in-process trainer AddTraining registered, unless Worker:TrialProcess asks for it.
        builder.Services.AddSingleton<ITrialTrainer>(services =>
            services.GetRequiredService<IOptions<WorkerOptions>>().Value.TrialProcess == TrialProcessModes.Child
                ? services.GetRequiredService<TrialProcessTrainer>()
                : services.GetRequiredService<TrialTrainer>());
        builder.Services.AddSingleton<TrialExecution>();
        builder.Services.AddSingleton<CheckpointSpace>();
        builder.Services.AddHostedService<TrialWorker>();
        builder.Services.AddHostedService<LeaseReaper>();
        builder.Services.AddHostedService<LeftoverCleanup>();
        return builder;
    }
}
