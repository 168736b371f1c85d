using System.Globalization;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Core.EarlyTermination;

/// <summary>
/// A sweep's optional <c>early_termination</c> block, typed, with its documented defaults:
/// <c>min_epochs</c> 1, <c>reduction_factor</c> 3, <c>max_epochs</c> the sweep's epochs (asha, hyperband);
/// <c>startup_trials</c> 5, <c>warmup_epochs</c> 1 (median).
/// </summary>
/// <param name="Type">asha, hyperband or median.</param>
public sealed record EarlyTerminationSpec(EarlyTerminationType Type)
{
    public const string Key = "early_termination";
    public const int DefaultMinEpochs = 1;
    public const int DefaultReductionFactor = 3;
    public const int DefaultStartupTrials = 5;
    public const int DefaultWarmupEpochs = 1;

    /// <summary>Metrics recorded every epoch; <c>test_accuracy</c> exists only after training, so no rule can use it.</summary>
    public static IReadOnlyList<string> PerEpochMetrics { get; } = [.. MetricDefinition.Objectives.Where(m => m.PerEpoch).Select(m => m.Name)];

    /// <summary>Epoch of the first rung (asha, hyperband): rungs are at min_epochs * reduction_factor^k.</summary>
    public int MinEpochs { get; init; } = DefaultMinEpochs;

    /// <summary>eta: a trial continues past a rung only in the top 1/eta there (asha, hyperband).</summary>
    public int ReductionFactor { get; init; } = DefaultReductionFactor;

    /// <summary>R: no rung at or after it; null means the sweep's epochs (asha, hyperband).</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>Trials that must complete before median stopping compares anything (median).</summary>
    public int StartupTrials { get; init; } = DefaultStartupTrials;

    /// <summary>Epochs 1..warmup_epochs are never checked (median).</summary>
    public int WarmupEpochs { get; init; } = DefaultWarmupEpochs;

    /// <summary>The keys a block of this type may have; the others belong to another type.</summary>
    public static IReadOnlyList<string> KeysFor(EarlyTerminationType type) => type == EarlyTerminationType.Median
        ? ["type", "startup_trials", "warmup_epochs"]
        : ["type", "min_epochs", "reduction_factor", "max_epochs"];

    public int ResolveMaxEpochs(int sweepEpochs) => MaxEpochs ?? sweepEpochs;

    /// <summary>
    /// Every problem with these settings for a sweep whose trials run <paramref name="sweepEpochs"/> epochs and
    /// optimise <paramref name="metricName"/>, each at its path (<c>early_termination.reduction_factor: must be &gt;= 2</c>).
    /// </summary>
    /// <param name="sweepEpochs">The most epochs a trial of the sweep runs (base epochs unless the sweep varies them).</param>
    /// <param name="metricName">The sweep's <c>metric.name</c>.</param>
    /// <param name="epochLimit">The largest <c>epochs</c> a sweep may use (<see cref="SweepLimits.MaxEpochs"/>).</param>
    /// <param name="path">Where the block sits in the file.</param>
    public IReadOnlyList<SpecError> Validate(int sweepEpochs, string metricName, int epochLimit = 500, string path = Key)
    {
        var errors = new List<SpecError>();
        void Fail(string key, string message) => errors.Add(new SpecError(key.Length == 0 ? path : $"{path}.{key}", message));

        if (!PerEpochMetrics.Contains(metricName, StringComparer.Ordinal))
        {
            Fail("", $"needs a metric recorded every epoch ({string.Join(", ", PerEpochMetrics)}); {metricName} is measured once, after training");
        }

        if (Type == EarlyTerminationType.Median)
        {
            if (StartupTrials < 1)
            {
                Fail("startup_trials", "must be >= 1 (the median needs at least one completed trial)");
            }

            if (WarmupEpochs < 0)
            {
                Fail("warmup_epochs", "must be >= 0");
            }
            else if (WarmupEpochs > sweepEpochs - 2)
            {
                // Checks run at epochs warmup+1 .. last-1 (the last epoch has nothing left to save).
                Fail("warmup_epochs", sweepEpochs < 2
                    ? $"median stopping needs trials of at least 2 epochs (they run {Text(sweepEpochs)})"
                    : $"must be <= {Text(sweepEpochs - 2)}: trials run {Text(sweepEpochs)} epochs and the last is never checked, so no epoch would be");
            }

            return errors;
        }

        if (MinEpochs < 1)
        {
            Fail("min_epochs", "must be >= 1");
        }

        if (ReductionFactor < 2)
        {
            Fail("reduction_factor", "must be >= 2");
        }

        if (MaxEpochs is { } max && (max < 1 || max > epochLimit))
        {
            Fail("max_epochs", $"must be between 1 and {Text(epochLimit)}");
        }
        else if (MinEpochs >= 1 && MinEpochs >= ResolveMaxEpochs(sweepEpochs))
        {
            var source = MaxEpochs is null ? $"the sweep's epochs ({Text(sweepEpochs)})" : $"max_epochs ({Text(MaxEpochs.Value)})";
            Fail("min_epochs", $"must be < {source}: the first rung would stop nothing");
        }

        return errors;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
