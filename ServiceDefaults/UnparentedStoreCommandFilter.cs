using System.Diagnostics;
using OpenTelemetry;

namespace Experiments.ServiceDefaults;

/// <summary>
/// Keeps store commands that no operation of ours started (queue polls, lease reaps, live-feed reads) out of the
/// exported traces. Each would be a trace of its own, several a second, and the Aspire dashboard keeps a fixed
/// number of traces (FIFO): within hours they would push a running sweep's trace out. Commands issued inside a
/// request, a submit or a trial keep their parent and are exported as usual.
/// </summary>
internal sealed class UnparentedStoreCommandFilter : BaseProcessor<Activity>
{
    /// <summary>The ActivitySource of the StackExchange.Redis instrumentation (Aspire's Redis client registers it).</summary>
    public const string RedisSourceName = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    public override void OnEnd(Activity data)
    {
        // Runs before the exporter's processor, which skips activities that are not recorded.
        if (data.ParentSpanId == default && data.Source.Name == RedisSourceName)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
