// Temporary: the training change defines these in Worker/Training; this file goes when it lands.
using Experiments.Sweeps.Records;
using Experiments.Sweeps.Specs;

namespace Experiments.Worker.Training;

public interface ITrialTrainer
{
    Task<TrialOutcome> TrainAsync(TrialRun run, ITrainingObserver observer, CancellationToken cancellationToken);
}

public sealed record TrialRun(string TrialId, int Attempt, TrainingConfig Config, string Device);

public interface ITrainingObserver
{
    Task<bool> EpochCompletedAsync(EpochMetrics metrics, CancellationToken cancellationToken);

    void Progress(string message);
}

public static class TrainCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) => throw new NotImplementedException();
}

public static class TrainingRegistration
{
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder) => builder;
}
