namespace Experiments.Dashboard.Ui.Charts;

/// <summary>
/// Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last points and, per
/// bucket, the point that spans the largest triangle with its neighbours, so peaks survive decimation.
/// </summary>
public static class CurveDecimation
{
    /// <summary>Indices (ascending) of at most <paramref name="maxPoints"/> points to keep (never fewer than the endpoints).</summary>
    public static IReadOnlyList<int> Lttb(IReadOnlyList<double> x, IReadOnlyList<double> y, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(y.Count, x.Count, nameof(y));
        var count = x.Count;
        if (count <= Math.Max(maxPoints, 2))
        {
            return Enumerable.Range(0, count).ToArray();
        }

        if (maxPoints < 3)
        {
            return [0, count - 1];
        }

        var kept = new List<int>(maxPoints) { 0 };
        var bucketSize = (double)(count - 2) / (maxPoints - 2);
        var previous = 0;
        for (var bucket = 0; bucket < maxPoints - 2; bucket++)
        {
            var start = (int)Math.Floor(bucket * bucketSize) + 1;
            var end = Math.Min((int)Math.Floor((bucket + 1) * bucketSize) + 1, count - 1);

            // The next bucket's centroid stands in for the point not chosen yet.
            var nextStart = end;
            var nextEnd = Math.Min((int)Math.Floor((bucket + 2) * bucketSize) + 1, count);
            double avgX = 0, avgY = 0;
            for (var i = nextStart; i < nextEnd; i++)
            {
                avgX += x[i];
                avgY += y[i];
            }

            var n = Math.Max(1, nextEnd - nextStart);
            avgX /= n;
            avgY /= n;

            var chosen = start;
            var largest = -1.0;
            for (var i = start; i < end; i++)
            {
                var area = Math.Abs(((x[previous] - avgX) * (y[i] - y[previous])) - ((x[previous] - x[i]) * (avgY - y[previous])));
                if (area > largest)
                {
                    largest = area;
                    chosen = i;
                }
            }

            kept.Add(chosen);
            previous = chosen;
        }

        kept.Add(count - 1);
        return kept;
    }

    /// <summary>Points per curve so that <paramref name="curves"/> curves stay within <paramref name="totalBudget"/> points.</summary>
    public static int PointsPerCurve(int curves, int totalBudget = 30_000, int floor = 8) =>
        curves <= 0 ? totalBudget : Math.Max(floor, totalBudget / curves);
}
