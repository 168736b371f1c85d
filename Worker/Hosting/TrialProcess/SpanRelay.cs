using System.Diagnostics;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// In the worker: re-creates the trainer child's spans (<see cref="SpanForwarder"/>) with their own times and tags,
/// the child's top spans under the trial span. Used from the thread that reads the child's output only.
/// </summary>
internal sealed class SpanRelay(ActivityContext trial)
{
    private readonly Dictionary<string, Activity?> _open = [];
    private readonly List<string> _order = [];

    /// <summary>The innermost span still open (the epoch while its report is answered); null when none.</summary>
    public Activity? Innermost => _order.Count > 0 ? _open[_order[^1]] : null;

    public void Start(SpanStarted span)
    {
        var parent = span.ParentId is { } id && _open.TryGetValue(id, out var open) && open is not null ? open.Context : trial;
        var previous = Activity.Current;
        var activity = WorkerTelemetry.ActivitySource.CreateActivity(span.Name, ActivityKind.Internal, parent);
        if (activity is not null)
        {
            activity.SetStartTime(span.Start);
            activity.Start();
            // Starting makes it current; the reader thread keeps the trial span as its context.
            Activity.Current = previous;
        }

        _open[span.Id] = activity;
        _order.Add(span.Id);
    }

    public void Stop(SpanStopped span)
    {
        if (!_open.Remove(span.Id, out var activity))
        {
            return;
        }

        _order.Remove(span.Id);
        if (activity is null)
        {
            return;
        }

        foreach (var tag in span.Tags)
        {
            activity.SetTag(tag.Key, tag.Value);
        }

        foreach (var e in span.Events)
        {
            activity.AddEvent(new ActivityEvent(e.Name, e.Timestamp, [.. e.Tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value))]));
        }

        activity.SetStatus(span.Status, span.StatusDescription);
        End(activity, span.End);
    }

    /// <summary>Ends what the child left open (it crashed or was killed), innermost first, in error with <paramref name="reason"/>.</summary>
    public void EndOpen(string reason)
    {
        for (int i = _order.Count - 1; i >= 0; i--)
        {
            if (_open[_order[i]] is { } activity)
            {
                activity.SetStatus(ActivityStatusCode.Error, reason);
                End(activity, DateTime.UtcNow);
            }
        }

        _open.Clear();
        _order.Clear();
    }

    private static void End(Activity activity, DateTime end)
    {
        var previous = Activity.Current;
        activity.SetEndTime(end);
        activity.Stop();
        Activity.Current = previous;
    }
}
