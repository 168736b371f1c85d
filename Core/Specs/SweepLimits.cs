namespace Experiments.Core.Specs;

/// <summary>Caps that keep a hostile or careless sweep file from exhausting memory, CPU or the queue.</summary>
/// <param name="MaxTrials">Most trials one sweep may plan (configurations x seeds), checked before expanding.</param>
/// <param name="MaxEpochs">Largest <c>epochs</c> (and <c>step_size</c>, <c>warmup_epochs</c> bound).</param>
/// <param name="MaxBatchSize">Largest <c>batch_size</c>.</param>
/// <param name="MaxSourceBytes">Largest sweep file, in UTF-8 bytes.</param>
/// <param name="MaxSeeds">Most entries in <c>seeds</c>.</param>
public sealed record SweepLimits(
    int MaxTrials = 10_000,
    int MaxEpochs = 500,
    int MaxBatchSize = 4096,
    int MaxSourceBytes = 1_000_000,
    int MaxSeeds = 100)
{
    /// <summary>
    /// No admission caps, only what a trial needs to run: for checking a config that was admitted before (by a
    /// Dashboard whose limits may differ from the defaults).
    /// </summary>
    public static SweepLimits Unlimited { get; } = new(int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);

    internal void EnsureUsable()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrials, 1, nameof(MaxTrials));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEpochs, 1, nameof(MaxEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSourceBytes, 1, nameof(MaxSourceBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSeeds, 1, nameof(MaxSeeds));
    }
}
