namespace Experiments.Core.Queue;

/// <summary>
/// A queued trial's score: lower is claimed first. Retried and resumed trials sit in band 0, fresh ones in band 1,
/// each band ordered by enqueue time (ms since 1970, far below the band width); equal scores fall back to the
/// member order, which for one sweep is expansion order. Band 0 scores are the store's clock, set by the scripts
/// that requeue; band 1 scores are the submitting host's clock (they only order sweeps among themselves).
/// </summary>
internal static class QueueScore
{
    private const long BandWidth = 10_000_000_000_000; // 1e13 ms is year 2286.

    public static long Fresh(DateTimeOffset now) => BandWidth + now.ToUnixTimeMilliseconds();
}
