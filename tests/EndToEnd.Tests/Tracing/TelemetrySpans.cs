using System.Text.Json;

namespace Experiments.EndToEnd.Tests.Tracing;

/// <summary>One span as the Aspire dashboard returns it (OTLP JSON), reduced to what the trace's shape needs.</summary>
/// <param name="Scope">The instrumentation scope: the ActivitySource that made the span.</param>
/// <param name="Attributes">The span's attributes, each value as text.</param>
public sealed record TelemetrySpan(
    string SpanId, string? ParentSpanId, string Name, string Service, string Scope, IReadOnlyList<string> Events,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>Spans read back from the Aspire dashboard's telemetry HTTP API.</summary>
public sealed class TelemetrySpans(IReadOnlyList<TelemetrySpan> spans)
{
    public IReadOnlyList<TelemetrySpan> Spans { get; } = spans;

    public IEnumerable<TelemetrySpan> ChildrenOf(TelemetrySpan parent, string name)
        => Spans.Where(s => s.ParentSpanId == parent.SpanId && s.Name == name);

    /// <summary>Every span of one trace (<c>GET /api/telemetry/traces/{traceId}</c>); none before its first span arrives.</summary>
    public static async Task<TelemetrySpans> ReadTraceAsync(HttpClient aspireDashboard, string traceId, CancellationToken cancellationToken)
    {
        using var response = await aspireDashboard.GetAsync($"/api/telemetry/traces/{traceId}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new TelemetrySpans([]);
        }

        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>The spans of the most recent traces of every service (<c>GET /api/telemetry/traces</c>).</summary>
    public static async Task<TelemetrySpans> ReadRecentTracesAsync(HttpClient aspireDashboard, CancellationToken cancellationToken)
    {
        using var response = await aspireDashboard.GetAsync("/api/telemetry/traces", cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static async Task<TelemetrySpans> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return new TelemetrySpans(Parse(document.RootElement).ToList());
    }

    /// <summary>Reads <c>data.resourceSpans[].scopeSpans[].spans[]</c>, naming each span's service from its resource.</summary>
    private static IEnumerable<TelemetrySpan> Parse(JsonElement root)
    {
        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("resourceSpans", out var resourceSpans))
        {
            yield break;
        }

        foreach (var resourceSpan in resourceSpans.EnumerateArray())
        {
            var service = ServiceName(resourceSpan);
            foreach (var scopeSpan in resourceSpan.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = scopeSpan.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var span in scopeSpan.GetProperty("spans").EnumerateArray())
                {
                    var parent = span.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null;
                    var events = span.TryGetProperty("events", out var e)
                        ? e.EnumerateArray().Select(ev => ev.GetProperty("name").GetString()!).ToList()
                        : [];
                    yield return new TelemetrySpan(
                        span.GetProperty("spanId").GetString()!,
                        string.IsNullOrEmpty(parent) ? null : parent,
                        span.GetProperty("name").GetString()!,
                        service,
                        scope,
                        events,
                        Attributes(span));
                }
            }
        }
    }

    /// <summary>OTLP attributes (<c>{ key, value: { stringValue | intValue | ... } }</c>) as text.</summary>
    private static Dictionary<string, string> Attributes(JsonElement span)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (span.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                var value = attribute.GetProperty("value").EnumerateObject().FirstOrDefault();
                attributes[attribute.GetProperty("key").GetString()!] = value.Value.ValueKind == JsonValueKind.String
                    ? value.Value.GetString()!
                    : value.Value.GetRawText();
            }
        }

        return attributes;
    }

    private static string ServiceName(JsonElement resourceSpan)
    {
        if (resourceSpan.TryGetProperty("resource", out var resource) && resource.TryGetProperty("attributes", out var attributes))
        {
            foreach (var attribute in attributes.EnumerateArray())
            {
                if (attribute.GetProperty("key").GetString() == "service.name")
                {
                    return attribute.GetProperty("value").GetProperty("stringValue").GetString() ?? "";
                }
            }
        }

        return "";
    }
}
