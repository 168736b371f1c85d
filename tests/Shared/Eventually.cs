using System.Diagnostics;

namespace Experiments.Tests.Shared;

/// <summary>
/// The one way tests wait for something that happens in its own time (a process, a store, a browser, a lease): poll
/// until a condition holds, and fail with what was awaited and the last value seen. The timeout is a generous
/// ceiling for a wrong or hung system, never what a test measures: a slow machine only makes a test slower.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> accepts its value; returns that value.</summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (stopwatch.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {Describe(value)}.");
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(condition, ok => ok, what, timeout, interval);

    /// <summary>Polls a synchronous condition until it holds.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), ok => ok, what, timeout, interval);

    /// <summary>
    /// Blocks the calling thread until <paramref name="condition"/> holds, without needing the thread pool: for tests
    /// that saturate the pool on purpose.
    /// </summary>
    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (!SpinWait.SpinUntil(condition, limit))
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}.");
        }
    }

    /// <summary>
    /// Runs work that must not hang (hostile input, a lock): fails after a generous ceiling instead of blocking the
    /// whole test run. Proves "finishes", never "is fast": speed belongs to the benchmarks.
    /// </summary>
    public static async Task<T> FinishesAsync<T>(Func<T> work, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await Task.Run(work).WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds:0} s.");
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Take(20)) + "]",
        _ => value.ToString() ?? "",
    };
}
