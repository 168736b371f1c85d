using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Experiments.Core;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests.Tracing;

/// <summary>
/// The issue's telemetry promise, read back from the Aspire dashboard: one trace per sweep submission, from the API
/// request through every trial (across the queue and the worker process) down to each epoch's steps; and no
/// stream of background traces that would push it out of the dashboard's bounded store.
/// </summary>
// Slow: starts the whole AppHost and trains.
[Trait("Category", "Slow")]
public sealed class AspireDashboardTraceTests(TracingAppHostFixture fixture) : IClassFixture<TracingAppHostFixture>
{
    private const string RedisInstrumentationScope = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(6);

    // Spans leave each service in OTLP batches (every 5 s): a trace fills in a little after its work is done.
    private static readonly TimeSpan ExportInterval = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromMinutes(2);

    // Workers poll the queue every 2 s and reap every 5 s: after this long, exported polls would be in the dashboard.
    private static readonly TimeSpan PollsWouldHaveBeenExported = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SweepSubmissionTraceReachesEveryTrialsEpochsInTheAspireDashboard()
    {
        using var dashboard = fixture.CreateDashboardClient();
        using var aspire = fixture.CreateTelemetryClient();
        var (traceId, callerSpanId, sweepId) = await SubmitAsync(dashboard, File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")));
        var trials = await WaitForCompletedTrialsAsync(dashboard, sweepId);
        Assert.Equal(2, trials.Count);

        var missing = await Eventually.UntilAsync(
            async () => MissingFromTrace(await TelemetrySpans.ReadTraceAsync(aspire, traceId, CancellationToken.None), callerSpanId, trials),
            m => m.Count == 0,
            $"trace {traceId} to hold every trial's spans",
            ExportTimeout,
            TimeSpan.FromSeconds(1));
        Assert.Empty(missing);
    }

    [Fact]
    public async Task EveryAttemptOfAFailingTrialJoinsTheSubmissionTraceWithItsRequeue()
    {
        using var dashboard = fixture.CreateDashboardClient();
        using var aspire = fixture.CreateTelemetryClient();
        // Fails on every attempt, in well under a second: the weights it starts from do not exist.
        const string spec = """
            name: missing-weights
            method: grid
            metric: { name: val_accuracy, goal: maximize }
            base: { dataset: synthetic, synthetic_size: 32, epochs: 1, batch_size: 16, stem: cifar, init_from: no-such-weights }
            parameters:
              lr: { value: 0.001 }
            """;
        var (traceId, callerSpanId, sweepId) = await SubmitAsync(dashboard, spec);
        var trial = await WaitForFinalTrialAsync(dashboard, sweepId);
        Assert.Equal("failed", trial.GetProperty("status").GetString());
        var trialId = trial.GetProperty("id").GetString()!;
        var attempts = trial.GetProperty("max_attempts").GetInt32();

        // The Dashboard and the worker export on their own timers: the attempts can arrive before the submit and its request.
        var spans = await WaitForSpansAsync(aspire, traceId, s =>
            s.Count(span => span.Name == $"trial {trialId}") == attempts
            && s.FirstOrDefault(span => span.Name == "submit sweep") is { } submitted
            && s.Any(span => span.SpanId == submitted.ParentSpanId));

        var submit = Assert.Single(spans, s => s.Name == "submit sweep");
        var request = Assert.Single(spans, s => s.SpanId == submit.ParentSpanId);
        Assert.Equal(callerSpanId, request.ParentSpanId);
        var attemptSpans = spans.Where(s => s.Name == $"trial {trialId}").ToList();
        Assert.Equal(attempts, attemptSpans.Count);
        Assert.All(attemptSpans, s => Assert.Equal(submit.SpanId, s.ParentSpanId));
        Assert.All(attemptSpans, s => Assert.Contains("claimed", s.Events));
        Assert.All(attemptSpans, s => Assert.Contains("exception", s.Events));
        // Every attempt but the last goes back to the queue; the last is parked as failed.
        Assert.Equal(attempts - 1, attemptSpans.Count(s => s.Events.Contains("requeued")));
    }

    [Fact]
    public async Task StoreCommandsAreTracedOnlyInsideOperations()
    {
        using var dashboard = fixture.CreateDashboardClient();
        using var aspire = fixture.CreateTelemetryClient();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await dashboard.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var wait = PollsWouldHaveBeenExported - fixture.SinceStarted;
        await Task.Delay(wait > ExportInterval ? wait : ExportInterval);

        // A request's store reads stay in its trace...
        var trace = await WaitForSpansAsync(aspire, traceId, spans => spans.Any(s => s.Scope == RedisInstrumentationScope));
        Assert.Contains(trace, s => s.Scope == RedisInstrumentationScope);
        Assert.All(trace.Where(s => s.Scope == RedisInstrumentationScope), s => Assert.NotNull(s.ParentSpanId));

        // ...while polls, reaps and live-feed reads, which no operation started, are not exported at all.
        var recent = await TelemetrySpans.ReadRecentTracesAsync(aspire, CancellationToken.None);
        var unparented = recent.Spans.Where(s => s.Scope == RedisInstrumentationScope && s.ParentSpanId is null).ToList();
        Assert.True(unparented.Count == 0,
            $"{unparented.Count} store commands exported as traces of their own: "
            + string.Join(", ", unparented.Take(10).Select(s => $"{s.Service}:{s.Name}")));
    }

    private static Task<IReadOnlyList<TelemetrySpan>> WaitForSpansAsync(HttpClient aspire, string traceId, Func<IReadOnlyList<TelemetrySpan>, bool> complete) =>
        Eventually.UntilAsync(
            async () => (await TelemetrySpans.ReadTraceAsync(aspire, traceId, CancellationToken.None)).Spans,
            complete,
            $"the spans of trace {traceId}",
            ExportTimeout,
            TimeSpan.FromSeconds(1));

    /// <summary>Everything the trace should hold and does not (yet): names and parent/child links.</summary>
    private static List<string> MissingFromTrace(TelemetrySpans trace, string callerSpanId, IReadOnlyList<(string Id, int Epochs, int FinalAttempt)> trials)
    {
        var missing = new List<string>();
        var requestSpan = trace.Spans.SingleOrDefault(s => s.ParentSpanId == callerSpanId && s.Name == "POST /api/sweeps" && s.Service == "dashboard");
        if (requestSpan is null)
        {
            missing.Add("the dashboard's 'POST /api/sweeps' span under the caller's traceparent");
            return missing;
        }

        var submit = trace.ChildrenOf(requestSpan, "submit sweep").SingleOrDefault();
        if (submit is null)
        {
            missing.Add("'submit sweep' under the request span");
            return missing;
        }

        foreach (var (trialId, epochs, finalAttempt) in trials)
        {
            // Every attempt of the trial is a span under the submit. Only the completed (last) attempt is sure to
            // be there: an earlier one ended by the infrastructure (a lost lease or a killed worker on a loaded
            // machine) may have died before its batch of spans was exported.
            var trialSpans = trace.ChildrenOf(submit, $"trial {trialId}").Where(s => s.Service == "worker").ToList();
            var finalAttemptText = finalAttempt.ToString(CultureInfo.InvariantCulture);
            var trialSpan = trialSpans.SingleOrDefault(s => s.Attributes.GetValueOrDefault(TelemetryTags.TrialAttempt) == finalAttemptText);
            if (trialSpan is null)
            {
                missing.Add($"the worker's 'trial {trialId}' span of attempt {finalAttempt} under 'submit sweep' (found {trialSpans.Count} of its spans)");
                continue;
            }

            foreach (var attemptSpan in trialSpans)
            {
                var attempt = attemptSpan.Attributes.GetValueOrDefault(TelemetryTags.TrialAttempt);
                if (!attemptSpan.Events.Contains("claimed"))
                {
                    missing.Add($"the 'claimed' event on 'trial {trialId}' attempt {attempt}");
                }

                missing.AddRange(MissingTags(attemptSpan, $"'trial {trialId}'", (TelemetryTags.TrialId, trialId), (TelemetryTags.SweepId, null)));
            }

            // Each epoch once, in the attempt that recorded it (a resumed attempt starts after the last recorded one).
            var epochSpans = trialSpans.SelectMany(t => trace.ChildrenOf(t, "epoch").Select(e => (Span: e, Attempt: t.Attributes.GetValueOrDefault(TelemetryTags.TrialAttempt)))).ToList();
            var epochNumbers = epochSpans.Select(e => int.TryParse(e.Span.Attributes.GetValueOrDefault(TelemetryTags.Epoch), out var n) ? n : 0).Order().ToList();
            if (!epochNumbers.SequenceEqual(Enumerable.Range(1, epochs)))
            {
                missing.Add($"epochs 1 to {epochs} once each under 'trial {trialId}' (found {string.Join(", ", epochNumbers)})");
            }

            foreach (var (epochSpan, attempt) in epochSpans)
            {
                var epoch = epochSpan.Attributes.GetValueOrDefault(TelemetryTags.Epoch);
                // The same tag names as the trial span: one search for a trial id finds its epochs too.
                missing.AddRange(MissingTags(epochSpan, $"epoch {epoch} of 'trial {trialId}'",
                    (TelemetryTags.TrialId, trialId), (TelemetryTags.TrialAttempt, attempt), (TelemetryTags.Epoch, null)));

                foreach (var step in new[] { "train", "validate", "checkpoint" })
                {
                    if (trace.ChildrenOf(epochSpan, step).Count() != 1)
                    {
                        missing.Add($"one '{step}' under epoch span {epochSpan.SpanId} of 'trial {trialId}'");
                    }
                }
            }
        }

        return missing;
    }

    /// <summary>Each expected tag the span lacks or carries with another value (null: any value).</summary>
    private static IEnumerable<string> MissingTags(TelemetrySpan span, string what, params (string Key, string? Value)[] expected) =>
        expected
            .Where(e => !span.Attributes.TryGetValue(e.Key, out var actual) || (e.Value is not null && actual != e.Value))
            .Select(e => $"tag {e.Key}={e.Value ?? "*"} on {what} (has {string.Join(", ", span.Attributes.Select(a => $"{a.Key}={a.Value}"))})");

    /// <summary>Submits a sweep as a caller inside a trace of its own (a fresh traceparent).</summary>
    private static async Task<(string TraceId, string CallerSpanId, string SweepId)> SubmitAsync(HttpClient dashboard, string yaml)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent(yaml, Encoding.UTF8, "application/yaml"),
        };
        request.Headers.Add("X-Api-Key", TracingAppHostFixture.ApiKey);
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");

        using var response = await dashboard.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sweepId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
        return (traceId, callerSpanId, sweepId);
    }

    /// <summary>The sweep's single trial once it reached a final state.</summary>
    private static Task<JsonElement> WaitForFinalTrialAsync(HttpClient dashboard, string sweepId) =>
        Eventually.UntilAsync(
            async () => Assert.Single((await dashboard.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("trials").EnumerateArray()),
            trial => trial.GetProperty("status").GetString() is "completed" or "failed" or "diverged" or "cancelled",
            $"sweep {sweepId}'s trial to end",
            SweepTimeout,
            TimeSpan.FromSeconds(1));

    /// <summary>
    /// Every trial once completed, with its epochs and the attempt that completed it. An earlier attempt may only have
    /// been ended by the infrastructure (a lost lease, a restart): the trial's own failure would be a bug here.
    /// </summary>
    private static async Task<IReadOnlyList<(string Id, int Epochs, int FinalAttempt)>> WaitForCompletedTrialsAsync(HttpClient dashboard, string sweepId)
    {
        var trials = await Eventually.UntilAsync(
            async () => (await dashboard.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("trials").EnumerateArray().ToList(),
            trials =>
            {
                var statuses = trials.Select(t => t.GetProperty("status").GetString()).ToList();
                Assert.DoesNotContain("failed", statuses);
                return statuses.All(s => s == "completed");
            },
            $"every trial of sweep {sweepId} to complete",
            SweepTimeout,
            TimeSpan.FromSeconds(1));
        foreach (var trial in trials)
        {
            var attempts = trial.GetProperty("attempts").EnumerateArray().ToList();
            foreach (var earlier in attempts.SkipLast(1))
            {
                var outcome = earlier.GetProperty("outcome").GetString();
                Assert.True(outcome is not ("Failed" or "Diverged"), $"{trial.GetProperty("id").GetString()} attempt {earlier.GetProperty("attempt")}: {outcome} {earlier.GetProperty("reason")}");
            }
        }

        return trials
            .Select(t => (t.GetProperty("id").GetString()!, t.GetProperty("config").GetProperty("epochs").GetInt32(),
                t.GetProperty("attempts").EnumerateArray().Last().GetProperty("attempt").GetInt32()))
            .ToList();
    }
}
