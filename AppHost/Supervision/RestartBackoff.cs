namespace Experiments.AppHost.Supervision;

/// <summary>
/// The restart schedule of one resource instance: exponential from the initial wait, capped, and back to the start
/// once the instance has stayed up long enough that its crash is news rather than a loop.
/// </summary>
public sealed class RestartBackoff(CrashRestartOptions options)
{
    /// <summary>Restarts in a row without a stable run between them.</summary>
    public int ConsecutiveRestarts { get; private set; }

    /// <summary>The wait before the next restart, given how long the instance ran before this exit (null: unknown).</summary>
    public TimeSpan NextDelay(TimeSpan? ranFor)
    {
        if (ranFor >= options.StableAfter)
        {
            ConsecutiveRestarts = 0;
        }

        // 2^n grows past any cap quickly; clamp the exponent so the multiplication cannot overflow.
        var factor = Math.Pow(2, Math.Min(ConsecutiveRestarts, 30));
        ConsecutiveRestarts++;
        var delay = TimeSpan.FromTicks((long)Math.Min(options.InitialBackoff.Ticks * factor, options.MaxBackoff.Ticks));
        return delay;
    }
}
