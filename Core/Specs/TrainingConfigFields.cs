using System.Collections.Frozen;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;

namespace Experiments.Core.Specs;

/// <summary>
/// Every <see cref="TrainingConfig"/> property a sweep may set, with what each accepts: the one rulebook for single
/// settings (rules tying two settings together are in <see cref="ConfigConsistency"/>). A setting added to
/// <see cref="TrainingConfig"/> gets its entry here, or sweep files, records and the validator cannot name it.
/// </summary>
internal static class TrainingConfigFields
{
    public static IReadOnlyList<TrainingConfigField> All { get; } =
    [
        Choice("dataset", c => c.Dataset, (c, v) => c with { Dataset = v }),
        Integer("synthetic_size", c => c.SyntheticSize, (c, v) => c with { SyntheticSize = v }, _ => NumericRange.Between(DatasetCatalog.MinSyntheticSize, DatasetCatalog.MaxSyntheticSize)),
        // The largest real training part minus the images training needs; ConfigConsistency holds it to the trial's data set.
        Integer("validation_size", c => c.ValidationSize, (c, v) => c with { ValidationSize = v }, _ => NumericRange.Between(1, LargestTrainingPart - DatasetCatalog.MinTrainImages)),
        Integer("epochs", c => c.Epochs, (c, v) => c with { Epochs = v }, l => NumericRange.Between(1, l.MaxEpochs)),
        // BatchNorm normalises over the batch: a batch of one image has no variance to learn from (and fails in training mode).
        Integer("batch_size", c => c.BatchSize, (c, v) => c with { BatchSize = v }, l => NumericRange.Between(2, l.MaxBatchSize)),
        Choice("optimizer", c => c.Optimizer, (c, v) => c with { Optimizer = v }),
        Real("lr", c => c.Lr, (c, v) => c with { Lr = v }, NumericRange.Above(0)),
        Real("weight_decay", c => c.WeightDecay, (c, v) => c with { WeightDecay = v }, NumericRange.AtLeast(0)),
        Real("momentum", c => c.Momentum, (c, v) => c with { Momentum = v }, new(0, true, 1, false)),
        new("nesterov", FieldKind.Boolean, c => c.Nesterov, (c, v) => c with { Nesterov = (bool)v! }),
        Real("label_smoothing", c => c.LabelSmoothing, (c, v) => c with { LabelSmoothing = v }, new(0, true, 1, false)),
        Choice("scheduler", c => c.Scheduler, (c, v) => c with { Scheduler = v }),
        Integer("step_size", c => c.StepSize, (c, v) => c with { StepSize = v }, l => NumericRange.Between(1, l.MaxEpochs)),
        Real("gamma", c => c.Gamma, (c, v) => c with { Gamma = v }, new(0, false, 1, true)),
        Integer("warmup_epochs", c => c.WarmupEpochs, (c, v) => c with { WarmupEpochs = v }, l => NumericRange.Between(0, l.MaxEpochs - 1)),
        Choice("augmentation", c => c.Augmentation, (c, v) => c with { Augmentation = v }),
        Choice("stem", c => c.Stem, (c, v) => c with { Stem = v }),
        Choice("checkpoint", c => c.Checkpoint, (c, v) => c with { Checkpoint = v }),
        new("device", FieldKind.Choice, c => c.Device, (c, v) => c with { Device = (TrainingDevice)v! })
        {
            Choices = TrainingDevice.Spellings,
            Parse = text => TrainingDevice.TryParse(text, out var device) ? device : null,
            Accepts = value => value is TrainingDevice,
        },
        // Whether the hardware has bf16 is the worker's to say: a trial may run on another machine than the submit.
        Choice("precision", c => c.Precision, (c, v) => c with { Precision = v }),
        Integer("seed", c => c.Seed, (c, v) => c with { Seed = v }, _ => NumericRange.Between(0, int.MaxValue)),
        // An id, not a path: it names a folder under the checkpoint root, so the store's own id rule decides.
        new("init_from", FieldKind.Identifier, c => c.InitFrom, (c, v) => c with { InitFrom = (string?)v })
        {
            Parse = text => CheckpointId.IsValid(text) ? text : null,
            Accepts = value => value is null || CheckpointId.IsValid(value as string),
        },
        Choice("init", c => c.Init, (c, v) => c with { Init = v }),
    ];

    public static FrozenDictionary<string, TrainingConfigField> ByName { get; } = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    private static int LargestTrainingPart => DatasetCatalog.All.Max(d => d.TrainImages ?? 0);

    private static TrainingConfigField Integer(string name, Func<TrainingConfig, int> get, Func<TrainingConfig, int, TrainingConfig> set, Func<SweepLimits, NumericRange> range) =>
        new(name, FieldKind.Integer, c => get(c), (c, v) => set(c, (int)v!)) { Range = range };

    private static TrainingConfigField Real(string name, Func<TrainingConfig, double> get, Func<TrainingConfig, double, TrainingConfig> set, NumericRange range) =>
        new(name, FieldKind.Real, c => get(c), (c, v) => set(c, (double)v!)) { Range = _ => range };

    private static TrainingConfigField Choice<T>(string name, Func<TrainingConfig, T> get, Func<TrainingConfig, T, TrainingConfig> set)
        where T : struct, Enum =>
        new(name, FieldKind.Choice, c => get(c), (c, v) => set(c, (T)v!))
        {
            Choices = Spelling<T>.Names,
            Parse = text => Spelling<T>.TryParse(text, out var value) ? value : null,
            // A record can hold a number that names no member (JSON enums also read as numbers): not a choice.
            Accepts = value => value is T choice && Spelling<T>.NameOf(choice) is not null,
        };
}
