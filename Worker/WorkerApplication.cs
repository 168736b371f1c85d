using Experiments.Worker.Hosting;
using Experiments.Worker.Training;

namespace Experiments.Worker;

/// <summary>The queue-driven Worker process as <c>Program</c> builds it; tests build exactly the same host.</summary>
public static class WorkerApplication
{
    /// <summary>Service defaults, training (checkpoints, data, the trainer) and the queue loop with its reaper.</summary>
    public static TBuilder AddWorker<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDefaults();
        builder.AddTraining();
        builder.AddTrialWorker();
        return builder;
    }
}
