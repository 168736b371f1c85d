using Experiments.Core.Specs;

namespace Experiments.Core.Datasets;

/// <summary>What is known about a data set before it is loaded.</summary>
/// <param name="TrainImages">The official training part (validation is split off it); null for synthetic, whose size the config sets.</param>
/// <param name="TestImages">The official test part; null for synthetic.</param>
/// <param name="ChannelMean">Per-channel mean of the official training part, in [0, 1]; null for synthetic (generated per seed).</param>
/// <param name="ChannelStd">Per-channel population standard deviation of the same pixels; null for synthetic.</param>
public sealed record DatasetFacts(
    Dataset Dataset,
    ImageShape Shape,
    IReadOnlyList<string> ClassNames,
    int? TrainImages,
    int? TestImages,
    IReadOnlyList<double>? ChannelMean,
    IReadOnlyList<double>? ChannelStd);

/// <summary>How many images a trial trains, validates and tests on.</summary>
public readonly record struct SplitSizes(int Train, int Validation, int Test)
{
    public int Total => Train + Validation + Test;
}
