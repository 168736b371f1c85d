namespace Experiments.Core.Tests.Specs;

public sealed class ValidationTests
{
    public static TheoryData<string, string> BrokenFiles => new()
    {
        // Top level.
        { "method: grid\n", "name: required" },
        { "name: ''\nmethod: grid\n", "name: must not be empty" },
        { $"name: {new string('n', 101)}\nmethod: grid\n", "name: must be at most 100 characters" },
        { "name: 12\nmethod: grid\n", "name: must be a string, got a number" },
        { "name: t\n", "method: required: one of grid, random, sobol, tpe" },
        { "name: t\nmethod: bayes\n", "method: must be one of grid, random, sobol, tpe" },
        { "name: t\nmethod: grid\nextra: 1\n", "extra: unknown key (allowed: name, method, metric, trial_count, sample_seed, startup_trials, max_concurrent, seeds, base, parameters, early_termination)" },
        { "- name: t\n", "document: must be a mapping, got a list" },
        { "just text\n", "document: must be a mapping, got a string" },

        // Metric.
        { SpecAssert.Grid("metric: { name: accuracy, goal: maximize }"), "metric.name: must be one of val_accuracy, val_loss, train_accuracy, train_loss, test_accuracy" },
        { SpecAssert.Grid("metric: { name: val_loss, goal: lower }"), "metric.goal: must be one of maximize, minimize" },
        { SpecAssert.Grid("metric: { name: val_loss }"), "metric.goal: required: one of maximize, minimize" },
        { SpecAssert.Grid("metric: { name: val_loss, goal: minimize, window: 3 }"), "metric.window: unknown key" },
        { SpecAssert.Grid("metric: val_loss"), "metric: must be a mapping, got a string" },

        // trial_count, sample_seed, seeds.
        { SpecAssert.Grid("trial_count: 5"), "trial_count: only random, sobol and tpe sweeps take trial_count; a grid runs every combination" },
        { SpecAssert.Grid("sample_seed: 5"), "sample_seed: only random, sobol and tpe sweeps sample; a grid has nothing to seed" },
        { "name: t\nmethod: random\n", "trial_count: required for random sweeps" },
        { "name: t\nmethod: sobol\n", "trial_count: required for sobol sweeps" },
        { SpecAssert.Random("", trialCount: 0), "trial_count: must be between 1 and 10000" },
        { SpecAssert.Random("", trialCount: -3), "trial_count: must be between 1 and 10000" },
        { "name: t\nmethod: random\ntrial_count: 2.5\n", "trial_count: must be a whole number" },
        { "name: t\nmethod: random\ntrial_count: '5'\n", "trial_count: must be a number, got a string" },
        { SpecAssert.Random("sample_seed: -1"), "sample_seed: must be between 0 and 2147483647" },
        { SpecAssert.Grid("seeds: []"), "seeds: must not be empty" },
        { SpecAssert.Grid("seeds: 3"), "seeds: must be a list of seeds, got a number" },
        { SpecAssert.Grid("seeds: [1, 2, 1]"), "seeds[2]: duplicate seed 1" },
        { SpecAssert.Grid("seeds: [1, x]"), "seeds[1]: must be a number, got a string" },
        { SpecAssert.Grid("seeds: [-1]"), "seeds[0]: must be between 0 and 2147483647" },
        { SpecAssert.Grid($"seeds: [{string.Join(", ", Enumerable.Range(0, 101))}]"), "seeds: must have at most 100 entries" },

        // base: types, enums, ranges.
        { SpecAssert.Grid("base: { epochs: 0 }"), "base.epochs: must be between 1 and 500" },
        { SpecAssert.Grid("base: { epochs: 501 }"), "base.epochs: must be between 1 and 500" },
        { SpecAssert.Grid("base: { epochs: ten }"), "base.epochs: must be a number, got a string" },
        { SpecAssert.Grid("base: { epochs: 2.5 }"), "base.epochs: must be a whole number" },
        { SpecAssert.Grid("base: { batch_size: 0 }"), "base.batch_size: must be between 2 and 4096" },
        { SpecAssert.Grid("base: { batch_size: 1 }"), "base.batch_size: must be between 2 and 4096" },
        { SpecAssert.Grid("base: { batch_size: 8192 }"), "base.batch_size: must be between 2 and 4096" },
        { SpecAssert.Grid("base: { lr: 0 }"), "base.lr: must be > 0" },
        { SpecAssert.Grid("base: { lr: '0.1' }"), "base.lr: must be a number, got a string" },
        { SpecAssert.Grid("base: { lr: .nan }"), "base.lr: must be a finite number" },
        { SpecAssert.Grid("base: { lr: .inf }"), "base.lr: must be a finite number" },
        { SpecAssert.Grid("base: { lr: 1e999 }"), "base.lr: must be a finite number" },
        { SpecAssert.Grid("base: { weight_decay: -0.1 }"), "base.weight_decay: must be >= 0" },
        { SpecAssert.Grid("base: { momentum: 1 }"), "base.momentum: must be >= 0 and < 1" },
        { SpecAssert.Grid("base: { label_smoothing: 1 }"), "base.label_smoothing: must be >= 0 and < 1" },
        { SpecAssert.Grid("base: { gamma: 0 }"), "base.gamma: must be > 0 and <= 1" },
        { SpecAssert.Grid("base: { gamma: 1.5 }"), "base.gamma: must be > 0 and <= 1" },
        { SpecAssert.Grid("base: { step_size: 0 }"), "base.step_size: must be between 1 and 500" },
        { SpecAssert.Grid("base: { warmup_epochs: -1 }"), "base.warmup_epochs: must be between 0 and 499" },
        { SpecAssert.Grid("base: { validation_size: -1 }"), "base.validation_size: must be between 1 and 59998" },
        { SpecAssert.Grid("base: { validation_size: 0 }"), "base.validation_size: must be between 1 and 59998" },
        { SpecAssert.Grid("base: { synthetic_size: 8 }"), "base.synthetic_size: must be between 16 and 291271" },
        { SpecAssert.Grid("base: { synthetic_size: 635000 }"), "base.synthetic_size: must be between 16 and 291271" },
        { SpecAssert.Grid("base: { seed: 1.5 }"), "base.seed: must be a whole number" },
        { SpecAssert.Grid("base: { nesterov: yes }"), "base.nesterov: must be true or false, got a string" },
        { SpecAssert.Grid("base: { nesterov: 1 }"), "base.nesterov: must be true or false, got a number" },
        { SpecAssert.Grid("base: { dataset: imagenet }"), "base.dataset: must be one of cifar10, fashion_mnist, synthetic" },
        { SpecAssert.Grid("base: { optimizer: rmsprop }"), "base.optimizer: must be one of adam, adamw, sgd" },
        { SpecAssert.Grid("base: { optimizer: Adam }"), "base.optimizer: must be one of adam, adamw, sgd" },
        { SpecAssert.Grid("base: { optimizer: [adam] }"), "base.optimizer: must be a string, got a list" },
        { SpecAssert.Grid("base: { scheduler: linear }"), "base.scheduler: must be one of none, step, cosine, onecycle" },
        { SpecAssert.Grid("base: { augmentation: mixup }"), "base.augmentation: must be one of none, flip, crop, crop_flip" },
        { SpecAssert.Grid("base: { stem: resnet }"), "base.stem: must be one of imagenet, cifar" },
        { SpecAssert.Grid("base: { checkpoint: all }"), "base.checkpoint: must be one of last, best, best_last" },
        { SpecAssert.Grid("base: { device: gpu }"), "base.device: must be one of auto, cpu, cuda, cuda:N" },
        { SpecAssert.Grid("base: { device: 'cuda:x' }"), "base.device: must be one of auto, cpu, cuda, cuda:N" },
        { SpecAssert.Grid("base: { device: 'cuda:123' }"), "base.device: must be one of auto, cpu, cuda, cuda:N" },
        { SpecAssert.Grid("base: { init_from: ../secrets }"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("base: { init_from: /etc/passwd }"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("base: { init_from: 'a\\b' }"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("base: { init_from: 'weights..old' }"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("base: { init_from: '.hidden' }"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("base: { init_from: a.b }"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid($"base: {{ init_from: {new string('w', 129)} }}"), "base.init_from: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("base: { init_from: 42 }"), "base.init_from: must be a string, got a number" },
        { SpecAssert.Grid("base: { learning_rate: 0.1 }"), "base.learning_rate: unknown key: not a training setting" },
        { SpecAssert.Grid("base: [1]"), "base: must be a mapping, got a list" },
        { SpecAssert.Grid("base:\n  lr: 0.1\n  lr: 0.2"), "base.lr: duplicate key" },

        // Rules spanning settings.
        { SpecAssert.Grid("base: { epochs: 5, warmup_epochs: 5 }"), "base.warmup_epochs: must be < epochs (a trial has warmup_epochs 5 and epochs 5)" },
        { SpecAssert.Grid("base: { validation_size: 50000 }"), "base.validation_size: must be <= 49998: cifar10 has 50000 training images and at least 2 must remain to train on" },
        { SpecAssert.Grid("base: { validation_size: 49999 }"), "base.validation_size: must be <= 49998: cifar10 has 50000 training images and at least 2 must remain to train on" },
        { SpecAssert.Grid("parameters:\n  dataset: { values: [fashion_mnist, cifar10] }\n  validation_size: { value: 55000 }"), "parameters.validation_size: must be <= 49998: cifar10 has 50000 training images and at least 2 must remain to train on" },
        { SpecAssert.Grid("base: { epochs: 4 }\nparameters:\n  warmup_epochs: { values: [1, 4] }"), "parameters.warmup_epochs: must be < epochs (a trial has warmup_epochs 4 and epochs 4)" },

        // parameters: shape.
        { SpecAssert.Grid("parameters:\n  foo: { value: 1 }"), "parameters.foo: unknown parameter" },
        { SpecAssert.Grid("parameters:\n  seed: { values: [1, 2] }"), "parameters.seed: vary the seed with the top-level seeds list instead" },
        { SpecAssert.Grid("parameters:\n  lr: 0.1"), "parameters.lr: must be a mapping with one of value, values or distribution (e.g. { value: ... }), got a number" },
        { SpecAssert.Grid("parameters:\n  lr: {}"), "parameters.lr: needs one of value, values or distribution" },
        { SpecAssert.Grid("parameters:\n  lr: { value: 0.1, values: [0.2] }"), "parameters.lr: use only one of value, values or distribution" },
        { SpecAssert.Grid("parameters:\n  lr: { values: [0.1], step: 2 }"), "parameters.lr.step: unknown key" },
        { SpecAssert.Grid("parameters:\n  lr: { values: [0.1], min: 0.01 }"), "parameters.lr.min: only allowed with distribution" },
        { SpecAssert.Grid("parameters: [lr]"), "parameters: must be a mapping, got a list" },
        { SpecAssert.Grid("parameters:\n  lr: { values: [0.1] }\n  lr: { values: [0.2] }"), "parameters.lr: duplicate key" },

        // parameters: values.
        { SpecAssert.Grid("parameters:\n  optimizer: { values: [] }"), "parameters.optimizer.values: must not be empty" },
        { SpecAssert.Grid("parameters:\n  optimizer: { values: adam }"), "parameters.optimizer.values: must be a list, got a string" },
        { SpecAssert.Grid("parameters:\n  optimizer: { values: [adam, lion] }"), "parameters.optimizer.values[1]: must be one of adam, adamw, sgd" },
        { SpecAssert.Grid("parameters:\n  device: { values: [cpu, tpu] }"), "parameters.device.values[1]: must be one of auto, cpu, cuda, cuda:N" },
        { SpecAssert.Grid("parameters:\n  lr: { values: [0.1, -0.1] }"), "parameters.lr.values[1]: must be > 0" },
        { SpecAssert.Grid("parameters:\n  lr: { values: [0.1, '0.2'] }"), "parameters.lr.values[1]: must be a number, got a string" },
        { SpecAssert.Grid("parameters:\n  epochs: { values: [0] }"), "parameters.epochs.values[0]: must be between 1 and 500" },
        { SpecAssert.Grid("parameters:\n  init_from: { values: [ok, ../up] }"), "parameters.init_from.values[1]: must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path" },
        { SpecAssert.Grid("parameters:\n  stem: { value: tiny }"), "parameters.stem.value: must be one of imagenet, cifar" },

        // parameters: distributions.
        { SpecAssert.Grid("parameters:\n  lr: { distribution: log_uniform, min: 0.001, max: 0.1 }"), "parameters.lr.distribution: a grid needs value or values; distributions need method random, sobol or tpe" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: normal, min: 0.001, max: 0.1 }"), "parameters.lr.distribution: must be one of uniform, log_uniform, int_uniform" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: uniform, min: 0, max: 0.1 }"), "parameters.lr.min: must be > 0" },
        { SpecAssert.Random("parameters:\n  weight_decay: { distribution: log_uniform, min: 0, max: 0.1 }"), "parameters.weight_decay.min: must be > 0 for log_uniform" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: uniform, min: 0.1, max: 0.1 }"), "parameters.lr.max: must be greater than min" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: uniform, min: 0.2, max: 0.1 }"), "parameters.lr.max: must be greater than min" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: uniform, max: 0.1 }"), "parameters.lr.min: required with distribution" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: uniform, min: 0.1 }"), "parameters.lr.max: required with distribution" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: uniform, min: low, max: 0.1 }"), "parameters.lr.min: must be a number, got a string" },
        { SpecAssert.Random("parameters:\n  momentum: { distribution: uniform, min: 0.5, max: 1 }"), "parameters.momentum.max: must be >= 0 and < 1" },
        { SpecAssert.Random("parameters:\n  batch_size: { distribution: int_uniform, min: 16.5, max: 64 }"), "parameters.batch_size.min: must be a whole number" },
        { SpecAssert.Random("parameters:\n  batch_size: { distribution: int_uniform, min: 16, max: 5000 }"), "parameters.batch_size.max: must be between 2 and 4096" },
        { SpecAssert.Random("parameters:\n  batch_size: { distribution: uniform, min: 16, max: 64 }"), "parameters.batch_size.distribution: batch_size takes whole numbers; use int_uniform" },
        { SpecAssert.Random("parameters:\n  lr: { distribution: int_uniform, min: 1, max: 3 }"), "parameters.lr.distribution: lr is not a whole-number setting; use uniform or log_uniform" },
        { SpecAssert.Random("parameters:\n  optimizer: { distribution: uniform, min: 0, max: 1 }"), "parameters.optimizer.distribution: optimizer is not numeric; use values" },
        { SpecAssert.Random("parameters:\n  epochs: { distribution: int_uniform, min: 1, max: 600 }"), "parameters.epochs.max: must be between 1 and 500" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void EveryRuleIsReportedAtItsPath(string text, string expected)
    {
        SpecAssert.RejectsWith(text, expected);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var errors = SpecAssert.Rejects("""
            name: broken
            method: bayes
            color: red
            base:
              epochs: 0
              optimizer: rmsprop
            parameters:
              lr: { distribution: log_uniform, min: -1, max: 0.1 }
              foo: { value: 1 }
              optimizer: { values: [] }
            """);

        Assert.Equal(
            [
                "color: unknown key (allowed: name, method, metric, trial_count, sample_seed, startup_trials, max_concurrent, seeds, base, parameters, early_termination)",
                "method: must be one of grid, random, sobol, tpe",
                "base.epochs: must be between 1 and 500",
                "base.optimizer: must be one of adam, adamw, sgd",
                "parameters.lr.min: must be > 0",
                "parameters.foo: unknown parameter",
                "parameters.optimizer.values: must not be empty",
            ],
            errors);
    }

    [Fact]
    public void LimitsAreConfigurable()
    {
        var limits = new Experiments.Core.Specs.SweepLimits(MaxEpochs: 20, MaxBatchSize: 64, MaxSeeds: 2);

        var errors = SpecAssert.Rejects(SpecAssert.Grid("seeds: [1, 2, 3]\nbase: { epochs: 21, batch_size: 65 }"), limits);

        Assert.Contains("base.epochs: must be between 1 and 20", errors);
        Assert.Contains("base.batch_size: must be between 2 and 64", errors);
        Assert.Contains("seeds: must have at most 2 entries", errors);
    }

    [Fact]
    public void HugeErrorCountsAreCappedWithASummary()
    {
        var keys = string.Join("\n", Enumerable.Range(0, 500).Select(i => $"  k{i}: 1"));

        var errors = SpecAssert.Rejects(SpecAssert.Grid($"base:\n{keys}"));

        Assert.Equal(101, errors.Count);
        Assert.Equal("document: 400 more problems not shown", errors[^1]);
    }
}
