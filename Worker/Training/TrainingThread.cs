using System.Collections.Concurrent;

namespace Experiments.Worker.Training;

/// <summary>
/// One dedicated thread per trial that runs all of its torch work, chunk by chunk. Training used to hold a
/// thread-pool thread for a whole epoch; with the pool saturated (a busy machine, a test host that keeps pool threads
/// blocked) timer callbacks and continuations then waited tens of seconds for a thread, and a cancellation or a
/// lease renewal could come too late. A thread of its own also keeps libtorch's per-thread state in one place.
/// </summary>
internal sealed class TrainingThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public TrainingThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the training thread; refuses to start it once cancelled.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);

        // Continuations go to the pool: the training thread never runs the caller's code.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The caller's context (Activity.Current above all) flows as Task.Run would flow it: spans made by the work
        // are children of the caller's span.
        var context = ExecutionContext.Capture();
        _work.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                done.SetCanceled(cancellationToken);
                return;
            }

            try
            {
                done.SetResult(context is null ? work() : RunIn(context, work));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                done.SetCanceled(cancellationToken);
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    private static T RunIn<T>(ExecutionContext context, Func<T> work)
    {
        T result = default!;
        ExecutionContext.Run(context, _ => result = work(), null);
        return result;
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
            work();
    }

    /// <summary>Lets the thread finish what it was given, then end.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
            _thread.Join();
        _work.Dispose();
    }
}
