using Experiments.Tests.Shared;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// Makes the process's thread pool unable to run anything new: its size is pinned to the threads it has and every
/// one of them is blocked (by this class, or already by the test host). Anything that needs a pool thread waits
/// until disposal; what keeps working proves it does not depend on the pool.
/// </summary>
#pragma warning disable CA1001 // The release event outlives this object on purpose (see Dispose).
internal sealed class SaturatedThreadPool : IDisposable
#pragma warning restore CA1001
{
    private readonly ManualResetEventSlim _release = new();
    private readonly int _maxWorkers;
    private readonly int _maxIo;
    private int _blocked;

    private SaturatedThreadPool()
    {
        ThreadPool.GetMaxThreads(out _maxWorkers, out _maxIo);
        ThreadPool.GetMinThreads(out _, out var minIo);
        var pinned = Math.Max(Environment.ProcessorCount, ThreadPool.ThreadCount);
        if (!ThreadPool.SetMaxThreads(pinned, Math.Max(minIo, _maxIo)))
        {
            throw new InvalidOperationException($"Could not pin the thread pool to {pinned} threads.");
        }

        // More blockers than threads: once each free thread has taken one, the rest stay queued for good.
        Queued = pinned + 1;
        for (var i = 0; i < Queued; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static self =>
                {
                    Interlocked.Increment(ref self._blocked);
                    self._release.Wait();
                },
                this,
                preferLocal: false);
        }

        Eventually.Until(
            () => Volatile.Read(ref _blocked) > 0 && Volatile.Read(ref _blocked) + ThreadPool.PendingWorkItemCount >= Queued && ThreadPool.PendingWorkItemCount > 0,
            "every pool thread to be blocked with work still queued");
    }

    public int Queued { get; }

    public static SaturatedThreadPool Start() => new();

    public void Dispose()
    {
        _release.Set();
        ThreadPool.SetMaxThreads(_maxWorkers, _maxIo);
        // Not disposed: a blocker may still be on its way into Wait.
        Eventually.Until(() => Volatile.Read(ref _blocked) == Queued, "the queued blockers to drain");
    }
}
