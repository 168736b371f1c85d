using System.Diagnostics;
using Experiments.Dashboard.Security;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Ui.Links;

/// <summary>Links a trial to its trace in the Aspire dashboard, from <c>Dashboard:TraceUrlTemplate</c> and the trial's traceparent.</summary>
public sealed class TraceLinks(IOptions<DashboardOptions> options)
{
    /// <summary>The trace URL, or null when no template is configured or the traceparent does not parse.</summary>
    public string? For(string? traceParent)
    {
        var template = options.Value.TraceUrlTemplate;
        if (string.IsNullOrWhiteSpace(template) || TraceId(traceParent) is not { } traceId)
        {
            return null;
        }

        return template.Replace("{traceId}", traceId, StringComparison.Ordinal);
    }

    /// <summary>The 32-hex trace id of a W3C traceparent (<c>00-{trace}-{span}-{flags}</c>).</summary>
    public static string? TraceId(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) && context.TraceId != default
            ? context.TraceId.ToHexString()
            : null;
}
