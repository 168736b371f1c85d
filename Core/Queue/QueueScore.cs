namespace Experiments.Core.Queue;

/// <summary>
/// A queued trial's score: lower is claimed first. Retried and resumed trials sit in band 0, fresh ones in band 1,
/// each band ordered by enqueue time (ms since 1970, far below the band width); equal scores fall back to the
/// member order, which for one sweep is expansion order. Band 0 scores are the store's clock, set by the scripts
/// that requeue; band 1 scores are the submitting host's clock (they only order sweeps among themselves), or the
/// store's for trials a tpe sweep creates lazily (the create script adds <see cref="FreshBand"/> to its now).
/// </summary>
internal static class QueueScore
{
    private const long BandWidth = 10_000_000_000_000; // 1e13 ms is year 2286.

    /// <summary>Where band 1 starts: a script adds the store's now (ms) to it.</summary>
    public const long FreshBand = BandWidth;

    public static long Fresh(DateTimeOffset now) => BandWidth + now.ToUnixTimeMilliseconds();
}
