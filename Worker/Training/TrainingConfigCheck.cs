using Experiments.Core.Checkpoints;
using Experiments.Core.Specs;
using Experiments.Worker.Training.Checkpointing;
using Experiments.Worker.Training.Data;
using Experiments.Worker.Training.Optimization;

namespace Experiments.Worker.Training;

/// <summary>Rejects a config the trainer cannot run, with every reason at once.</summary>
public static class TrainingConfigCheck
{
    public static IReadOnlyList<string> Problems(TrainingConfig c)
    {
        List<string> problems = [];
        void Require(bool ok, string problem)
        {
            if (!ok)
                problems.Add(problem);
        }

        Require(DatasetCatalog.Names.Contains(c.Dataset), $"dataset '{c.Dataset}' is not one of {string.Join(", ", DatasetCatalog.Names)}");
        Require(FlatOptimizer.Kinds.Contains(c.Optimizer), $"optimizer '{c.Optimizer}' is not one of {string.Join(", ", FlatOptimizer.Kinds)}");
        Require(LearningRateSchedule.Kinds.Contains(c.Scheduler), $"scheduler '{c.Scheduler}' is not one of {string.Join(", ", LearningRateSchedule.Kinds)}");
        Require(CheckpointPolicy.Names.Contains(c.Checkpoint), $"checkpoint '{c.Checkpoint}' is not one of {string.Join(", ", CheckpointPolicy.Names)}");
        Require(c.Stem is "imagenet" or "cifar", $"stem '{c.Stem}' is not imagenet or cifar");
        Require(c.Augmentation is "none" or "flip" or "crop" or "crop_flip", $"augmentation '{c.Augmentation}' is not none, flip, crop or crop_flip");
        Require(c.Epochs >= 1, "epochs must be at least 1");
        Require(c.BatchSize >= 2, "batch_size must be at least 2");
        Require(c.Lr > 0 && double.IsFinite(c.Lr), "lr must be a positive number");
        Require(c.WeightDecay >= 0, "weight_decay must not be negative");
        Require(c.Momentum >= 0 && c.Momentum < 1, "momentum must be in [0, 1)");
        Require(c.LabelSmoothing >= 0 && c.LabelSmoothing < 1, "label_smoothing must be in [0, 1)");
        Require(c.StepSize >= 1, "step_size must be at least 1");
        Require(c.WarmupEpochs >= 0 && c.WarmupEpochs <= c.Epochs, "warmup_epochs must be between 0 and epochs");
        Require(c.SyntheticSize >= 2, "synthetic_size must be at least 2");
        Require(c.ValidationSize >= 1, "validation_size must be at least 1");
        Require(c.Seed >= 0, "seed must not be negative");
        Require(c.InitFrom is null || CheckpointStore.IsValidId(c.InitFrom), $"init_from '{c.InitFrom}' is not an id ([A-Za-z0-9_-]+)");
        return problems;
    }
}
