using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Experiments.Core.Specs;

/// <summary>Every <see cref="TrainingConfig"/> property a sweep may set, with what each accepts.</summary>
internal static partial class TrainingConfigFields
{
    private const int MaxImages = 1_000_000;

    public static IReadOnlyList<TrainingConfigField> All { get; } =
    [
        Choice("dataset", c => c.Dataset, (c, v) => c with { Dataset = v }, "cifar10", "fashion_mnist", "synthetic"),
        Integer("synthetic_size", c => c.SyntheticSize, (c, v) => c with { SyntheticSize = v }, _ => NumericRange.Between(16, MaxImages)),
        Integer("validation_size", c => c.ValidationSize, (c, v) => c with { ValidationSize = v }, _ => NumericRange.Between(0, MaxImages)),
        Integer("epochs", c => c.Epochs, (c, v) => c with { Epochs = v }, l => NumericRange.Between(1, l.MaxEpochs)),
        Integer("batch_size", c => c.BatchSize, (c, v) => c with { BatchSize = v }, l => NumericRange.Between(1, l.MaxBatchSize)),
        Choice("optimizer", c => c.Optimizer, (c, v) => c with { Optimizer = v }, "adam", "adamw", "sgd"),
        Real("lr", c => c.Lr, (c, v) => c with { Lr = v }, NumericRange.Above(0)),
        Real("weight_decay", c => c.WeightDecay, (c, v) => c with { WeightDecay = v }, NumericRange.AtLeast(0)),
        Real("momentum", c => c.Momentum, (c, v) => c with { Momentum = v }, new(0, true, 1, false)),
        new("nesterov", FieldKind.Boolean, c => c.Nesterov, (c, v) => c with { Nesterov = (bool)v! }),
        Real("label_smoothing", c => c.LabelSmoothing, (c, v) => c with { LabelSmoothing = v }, new(0, true, 1, false)),
        Choice("scheduler", c => c.Scheduler, (c, v) => c with { Scheduler = v }, "none", "step", "cosine", "onecycle"),
        Integer("step_size", c => c.StepSize, (c, v) => c with { StepSize = v }, l => NumericRange.Between(1, l.MaxEpochs)),
        Real("gamma", c => c.Gamma, (c, v) => c with { Gamma = v }, new(0, false, 1, true)),
        Integer("warmup_epochs", c => c.WarmupEpochs, (c, v) => c with { WarmupEpochs = v }, l => NumericRange.Between(0, l.MaxEpochs - 1)),
        Choice("augmentation", c => c.Augmentation, (c, v) => c with { Augmentation = v }, "none", "flip", "crop", "crop_flip"),
        Choice("stem", c => c.Stem, (c, v) => c with { Stem = v }, "imagenet", "cifar"),
        Choice("checkpoint", c => c.Checkpoint, (c, v) => c with { Checkpoint = v }, "last", "best", "best_last"),
        Choice("device", c => c.Device, (c, v) => c with { Device = v }, "auto", "cpu", "cuda", "cuda:N") with
        {
            Accepts = v => DevicePattern().IsMatch(v),
        },
        Integer("seed", c => c.Seed, (c, v) => c with { Seed = v }, _ => NumericRange.Between(0, int.MaxValue)),
        new("init_from", FieldKind.Identifier, c => c.InitFrom, (c, v) => c with { InitFrom = (string?)v })
        {
            Accepts = v => IdentifierPattern().IsMatch(v) && !v.Contains("..", StringComparison.Ordinal),
        },
    ];

    public static FrozenDictionary<string, TrainingConfigField> ByName { get; } = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    private static TrainingConfigField Integer(string name, Func<TrainingConfig, int> get, Func<TrainingConfig, int, TrainingConfig> set, Func<SweepLimits, NumericRange> range) =>
        new(name, FieldKind.Integer, c => get(c), (c, v) => set(c, (int)v!)) { Range = range };

    private static TrainingConfigField Real(string name, Func<TrainingConfig, double> get, Func<TrainingConfig, double, TrainingConfig> set, NumericRange range) =>
        new(name, FieldKind.Real, c => get(c), (c, v) => set(c, (double)v!)) { Range = _ => range };

    private static TrainingConfigField Choice(string name, Func<TrainingConfig, string> get, Func<TrainingConfig, string, TrainingConfig> set, params string[] choices) =>
        new(name, FieldKind.Choice, c => get(c), (c, v) => set(c, (string)v!)) { Choices = choices, Accepts = choices.Contains };

    [GeneratedRegex(@"^(?:auto|cpu|cuda|cuda:[0-9]{1,2})\z")]
    private static partial Regex DevicePattern();

    // An id, not a path: it is resolved under the data root, so separators and ".." must never get through.
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}\z")]
    private static partial Regex IdentifierPattern();
}
