using System.Diagnostics;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// In the trainer child: sends every span of the Worker's source as it starts and stops. The child exports nothing
/// itself; the worker re-creates the spans under its trial span (<see cref="SpanRelay"/>), so the trace stays one
/// from the submit through every epoch, and an epoch cut short by a crash still ends, in error, in the trace.
/// </summary>
internal static class SpanForwarder
{
    public static IDisposable Start(TrialProcessChannel output)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity => TrialProcessChild.Send(output, new SpanStarted(
                activity.SpanId.ToHexString(), activity.Parent?.SpanId.ToHexString(), activity.DisplayName, activity.StartTimeUtc)),
            ActivityStopped = activity => TrialProcessChild.Send(output, new SpanStopped(
                activity.SpanId.ToHexString(),
                activity.StartTimeUtc + activity.Duration,
                [.. activity.TagObjects.Select(t => SpanTag.Of(t.Key, t.Value))],
                activity.Status,
                activity.StatusDescription,
                [.. activity.Events.Select(e => new SpanEvent(e.Name, e.Timestamp, [.. e.Tags.Select(t => SpanTag.Of(t.Key, t.Value))]))])),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
