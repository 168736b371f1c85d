namespace Experiments.Core;

/// <summary>
/// The attribute names our spans (and per-epoch metrics) carry, in one place so every service tags alike and a
/// trace search for one trial finds its submit, attempts and epochs.
/// </summary>
public static class TelemetryTags
{
    public const string SweepId = "experiments.sweep.id";
    public const string SweepName = "experiments.sweep.name";
    public const string SweepTrials = "experiments.sweep.trials";
    public const string TrialId = "experiments.trial.id";
    public const string TrialAttempt = "experiments.trial.attempt";
    public const string TrialOutcome = "experiments.trial.outcome";
    public const string Epoch = "experiments.epoch";
    public const string Images = "experiments.epoch.images";
    public const string TrainLoss = "experiments.epoch.train_loss";
    public const string TrainAccuracy = "experiments.epoch.train_accuracy";
    public const string ValLoss = "experiments.epoch.val_loss";
    public const string ValAccuracy = "experiments.epoch.val_accuracy";
}
