using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests;

/// <summary>Through the real AppHost: the README's submit, the worker training it, and the API's refusals.</summary>
// Slow: starts the whole AppHost and trains.
[Trait("Category", "Slow")]
public sealed class SweepApiTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task SmokeSweepSubmittedOverHttpCompletesWithEveryEpochRecorded()
    {
        using var client = fixture.CreateDashboardClient();
        var traceId = ActivityTraceId.CreateRandom();
        using var response = await SendOnceAsync(() =>
        {
            var request = SubmitRequest(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), "application/yaml");
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            return request;
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var submitted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sweepId = submitted.GetProperty("sweep_id").GetString()!;
        var trialIds = submitted.GetProperty("trial_ids").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(2, trialIds.Count);
        Assert.EndsWith($"/api/sweeps/{sweepId}", response.Headers.Location?.ToString());

        await WaitUntilAsync(async () =>
        {
            var sweep = await client.GetJsonAsync($"/api/sweeps/{sweepId}");
            var statuses = sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToList();
            Assert.DoesNotContain("failed", statuses);
            return statuses.All(s => s == "completed");
        });

        foreach (var trialId in trialIds)
        {
            var details = await client.GetJsonAsync($"/api/trials/{trialId}");
            var trial = details.GetProperty("trial");
            var epochs = details.GetProperty("epochs").EnumerateArray().ToList();
            var configuredEpochs = trial.GetProperty("config").GetProperty("epochs").GetInt32();
            Assert.Equal(Enumerable.Range(1, configuredEpochs), epochs.Select(e => e.GetProperty("epoch").GetInt32()));
            Assert.All(epochs, e => Assert.True(e.GetProperty("train_loss").GetDouble() > 0));
            Assert.NotEmpty(trial.GetProperty("evaluations").EnumerateArray());
            // The trial continues the trace of the submit request, across the queue.
            Assert.Contains(traceId.ToHexString(), trial.GetProperty("trace_parent").GetString());
        }
    }

    [Fact]
    public async Task TpeSweepProposesTrialsAsResultsArriveUntilItsBudgetIsDone()
    {
        using var client = fixture.CreateDashboardClient();
        await ApiAnswersAsync(client);
        using var response = await SendOnceAsync(() => SubmitRequest(File.ReadAllText(RepositoryPaths.SweepFile("tpe-synthetic.yaml")), "application/yaml"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var submitted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sweepId = submitted.GetProperty("sweep_id").GetString()!;
        // Only the startup trials that may run at once (max_concurrent: 2) exist at submit.
        Assert.Equal(2, submitted.GetProperty("trial_ids").GetArrayLength());

        // The worker proposes the other six from the results, pruned trials' included; every one ends: completed,
        // pruned by ASHA at its rung, or diverged (a high sampled lr may).
        // Eight trials one after another on one worker: the ceiling allows for a loaded two-core machine.
        await Eventually.UntilAsync(
            async () => (await TrialsAsync(client, sweepId)).Select(t => t.GetProperty("status").GetString()!).ToList(),
            statuses =>
            {
                Assert.DoesNotContain("failed", statuses);
                return statuses.Count == 8 && statuses.All(s => s is "completed" or "pruned" or "diverged");
            },
            "all 8 trials of the tpe sweep to end (statuses of the trials created so far)",
            TimeSpan.FromMinutes(15),
            TimeSpan.FromSeconds(2));

        var sweep = (await client.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("sweep");
        Assert.Equal(8, sweep.GetProperty("search").GetProperty("trial_count").GetInt32());
        var trialsDone = await TrialsAsync(client, sweepId);
        Assert.Equal(Enumerable.Range(0, 8), trialsDone.Select(t => t.GetProperty("index").GetInt32()));
        Assert.Equal(8, trialsDone.Select(t => t.GetProperty("config").GetRawText()).Distinct().Count());
        Assert.Contains(trialsDone, t => t.GetProperty("status").GetString() == "completed");
        // Early termination worked beside the model: losers stopped at the rung (epoch 1 of 3), and a trial was
        // proposed after the first prune, so the model saw a pruned trial's result.
        var pruned = trialsDone.Where(t => t.GetProperty("status").GetString() == "pruned").ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t => Assert.Equal(1, t.GetProperty("last_epoch").GetInt32()));
        Assert.True(pruned.Min(t => t.GetProperty("index").GetInt32()) < 7, "no trial was proposed after a pruned one");
        Assert.Equal("asha", sweep.GetProperty("early_termination").GetProperty("type").GetString());

        var importance = await client.GetJsonAsync($"/api/sweeps/{sweepId}/importance");
        Assert.Equal(sweepId, importance.GetProperty("sweep_id").GetString());
    }

    [Fact]
    public async Task CancellingARunningTrialStopsItsWorkerAndTheSweepsQueuedTrials()
    {
        using var client = fixture.CreateDashboardClient();
        const string longSweep = """
            name: cancel-me
            method: grid
            base: { dataset: synthetic, synthetic_size: 64, epochs: 200, batch_size: 16, stem: imagenet }
            parameters:
              lr: { values: [0.001, 0.002, 0.003] }
            """;
        using var response = await SendOnceAsync(() => SubmitRequest(longSweep, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var submitted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sweepId = submitted.GetProperty("sweep_id").GetString()!;

        // Wait until one trial is mid-training, then cancel the whole sweep.
        await WaitUntilAsync(async () => (await TrialsAsync(client, sweepId)).Any(t =>
            t.GetProperty("status").GetString() == "running" && t.GetProperty("last_epoch").GetInt32() >= 1));
        using var cancelled = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps/{sweepId}/cancel"));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        // The running trial stops at its next batch; the worker ends it as cancelled, not failed.
        await WaitUntilAsync(async () => (await TrialsAsync(client, sweepId)).All(t => t.GetProperty("status").GetString() == "cancelled"));
        var trials = await TrialsAsync(client, sweepId);
        Assert.All(trials, t => Assert.True(t.GetProperty("last_epoch").GetInt32() < 200));
        // The AppHost starts two CPU workers by default, so one or two trials may have started before the cancel.
        var ran = trials.Where(t => t.GetProperty("attempts").GetArrayLength() > 0).ToList();
        Assert.NotEmpty(ran);
        Assert.All(ran, t => Assert.Equal("Cancelled", t.GetProperty("attempts")[0].GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task AshaSweepOnSyntheticDataPrunesAtLeastOneTrialAndCompletesAllOthers()
    {
        using var client = fixture.CreateDashboardClient();
        // A first request to a cold Dashboard on a loaded two-core machine has taken over a minute.
        client.Timeout = TimeSpan.FromMinutes(5);
        using var response = await SendOnceAsync(() => SubmitRequest(File.ReadAllText(RepositoryPaths.SweepFile("asha-synthetic.yaml")), "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sweepId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;

        // Every trial in a final state; what each ended as (and why) is in the message if one did not end well.
        var ended = await Eventually.UntilAsync(
            async () => (await TrialsAsync(client, sweepId))
                .Select(t => $"{t.GetProperty("status").GetString()} after epoch {t.GetProperty("last_epoch").GetInt32()}: {t.GetProperty("reason")}")
                .ToList(),
            seen => seen.All(s => !s.StartsWith("queued", StringComparison.Ordinal) && !s.StartsWith("running", StringComparison.Ordinal)),
            "every trial of the ASHA sweep to end", 2 * SweepTimeout, TimeSpan.FromSeconds(1));
        Assert.All(ended, s => Assert.True(s.StartsWith("completed", StringComparison.Ordinal) || s.StartsWith("pruned", StringComparison.Ordinal), s));

        var trials = await TrialsAsync(client, sweepId);
        var pruned = trials.Where(t => t.GetProperty("status").GetString() == "pruned").ToList();
        Assert.NotEmpty(pruned);
        Assert.Equal(6, pruned.Count + trials.Count(t => t.GetProperty("status").GetString() == "completed"));
        var summary = (await client.GetJsonAsync("/api/sweeps?take=1000")).EnumerateArray().Single(s => s.GetProperty("id").GetString() == sweepId);
        Assert.Equal(pruned.Count, summary.GetProperty("status").GetProperty("pruned").GetInt32());
        foreach (var trial in pruned)
        {
            // Stopped at a rung (epoch 1 or 3 of 4), with the rung and comparison named, and evaluated like a completed trial.
            Assert.Contains(trial.GetProperty("last_epoch").GetInt32(), new[] { 1, 3 });
            Assert.Matches(@"^rung [01] \(epoch [13]\): val_loss ", trial.GetProperty("reason").GetString());
            Assert.NotEmpty(trial.GetProperty("evaluations").EnumerateArray());
            Assert.Equal("Pruned", trial.GetProperty("attempts").EnumerateArray().Last().GetProperty("outcome").GetString());
            var details = await client.GetJsonAsync($"/api/trials/{trial.GetProperty("id").GetString()}");
            var decision = details.GetProperty("early_termination").EnumerateArray().Last();
            Assert.Equal(("prune", trial.GetProperty("reason").GetString()), (decision.GetProperty("verdict").GetString(), decision.GetProperty("reason").GetString()));
        }

        Assert.All(trials.Where(t => t.GetProperty("status").GetString() == "completed"), t => Assert.Equal(4, t.GetProperty("last_epoch").GetInt32()));
    }

    [Fact]
    public async Task AFinishedSweepGrownBySeedsRunsTheAddedTrialsAndEveryTrialRecordsItsTimeToTarget()
    {
        using var client = fixture.CreateDashboardClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        // A target every epoch reaches: each trial records it at epoch 1, with that epoch's training time.
        var smoke = File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml"))
            .Replace("metric: { name: val_accuracy, goal: maximize }", "metric: { name: val_accuracy, goal: maximize, target: 0 }", StringComparison.Ordinal);
        using var response = await SendOnceAsync(() => SubmitRequest(smoke, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sweepId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
        await WaitUntilAsync(async () => (await TrialsAsync(client, sweepId)).All(t => t.GetProperty("status").GetString() == "completed"));

        using var grow = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps/{sweepId}/trials?seeds=1"));
        Assert.Equal(HttpStatusCode.OK, grow.StatusCode);
        Assert.Equal(2, (await grow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added_trial_ids").GetArrayLength());
        await WaitUntilAsync(async () =>
        {
            var statuses = (await TrialsAsync(client, sweepId)).Select(t => t.GetProperty("status").GetString()).ToList();
            Assert.DoesNotContain("failed", statuses);
            return statuses.Count == 4 && statuses.All(s => s == "completed");
        });

        var trials = await TrialsAsync(client, sweepId);
        Assert.Equal(new[] { 0, 0, 1, 1 }, trials.Select(t => t.GetProperty("config").GetProperty("seed").GetInt32()));
        Assert.All(trials, t =>
        {
            var target = t.GetProperty("target");
            Assert.Equal(1, target.GetProperty("epoch").GetInt32());
            Assert.True(target.GetProperty("seconds").GetDouble() > 0, t.ToString());
        });
        var summary = (await client.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("time_to_target");
        Assert.Equal((4, 4), (summary.GetProperty("reached").GetInt32(), summary.GetProperty("trials").GetInt32()));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task DeletingASweepWhileItsTrialRunsRemovesItsRecordsAndCheckpointsAndFreesTheWorker()
    {
        using var client = fixture.CreateDashboardClient();
        const string longSweep = """
            name: delete-me
            method: grid
            base: { dataset: synthetic, synthetic_size: 64, epochs: 200, batch_size: 16, stem: imagenet, checkpoint: best_last }
            parameters:
              lr: { values: [0.001, 0.002] }
            """;
        using var response = await SendOnceAsync(() => SubmitRequest(longSweep, "application/yaml"));
        var sweepId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
        await WaitUntilAsync(async () => (await TrialsAsync(client, sweepId)).Any(t =>
            t.GetProperty("status").GetString() == "running" && t.GetProperty("last_epoch").GetInt32() >= 1));
        var running = (await TrialsAsync(client, sweepId)).First(t => t.GetProperty("status").GetString() == "running").GetProperty("id").GetString()!;
        Assert.True(Directory.Exists(Path.Combine(fixture.CheckpointRoot, running)));

        using var deleted = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"/api/sweeps/{sweepId}"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var sweep = await client.GetAsync($"/api/sweeps/{sweepId}"))
            Assert.Equal(HttpStatusCode.NotFound, sweep.StatusCode);
        using (var trial = await client.GetAsync($"/api/trials/{running}"))
            Assert.Equal(HttpStatusCode.NotFound, trial.StatusCode);
        var listed = await client.GetJsonAsync("/api/sweeps?take=1000");
        Assert.DoesNotContain(listed.EnumerateArray(), s => s.GetProperty("id").GetString() == sweepId);
        // The worker stops at its next renewal and removes what it wrote after the Dashboard removed the folder.
        await WaitUntilAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(fixture.CheckpointRoot, running))));
        using (var second = await client.DeleteAsync($"/api/sweeps/{sweepId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
            Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        }

        // The worker is free again: a new sweep runs to completion.
        using var next = await SendOnceAsync(() => SubmitRequest(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), "application/yaml"));
        var nextId = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
        await WaitUntilAsync(async () => (await TrialsAsync(client, nextId)).All(t => t.GetProperty("status").GetString() == "completed"));
        Assert.False(Directory.Exists(Path.Combine(fixture.CheckpointRoot, running)));
    }

    [Fact]
    public async Task CallsWithoutTheApiKeyAreRefusedReadsIncluded()
    {
        using var client = fixture.CreateAnonymousClient();
        using var content = new StringContent(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), Encoding.UTF8, "application/yaml");

        using var submit = await client.PostAsync("/api/sweeps", content);
        using var cancel = await client.PostAsync("/api/sweeps/sw-anything/cancel", null);
        using var delete = await client.DeleteAsync("/api/sweeps/sw-anything");
        using var list = await client.GetAsync("/api/sweeps");

        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
        Assert.Equal("application/problem+json", submit.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [Fact]
    public async Task HostileSpecsGetProblemResponsesAndEnqueueNothing()
    {
        using var client = fixture.CreateDashboardClient();
        var before = await CountSweepsAsync(client);
        var specs = HostileSpecs.All().ToList();
        Assert.True(specs.Count >= 100, $"only {specs.Count} hostile specs");

        foreach (var (name, text) in specs)
        {
            using var request = SubmitRequest(text, "application/yaml");
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{name}: got {status}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await CountSweepsAsync(client));
    }

    [Fact]
    public async Task ValidationProblemNamesEveryBadFieldWithItsPath()
    {
        using var client = fixture.CreateDashboardClient();
        const string spec = """
            name: bad
            method: grid
            metric: { name: val_accuracy, goal: maximize }
            base: { epochs: 0, optimizer: rmsprop }
            parameters:
              lr: { values: [] }
            """;

        using var response = await client.SendAsync(SubmitRequest(spec, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var paths = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("base.epochs", paths);
        Assert.Contains("base.optimizer", paths);
        Assert.Contains("parameters.lr.values", paths);
    }

    [Theory]
    [InlineData("/api/trials/tr-doesnotexist")]
    [InlineData("/api/trials/sw-doesnotexist-0000")]
    [InlineData("/api/sweeps/sw-doesnotexist")]
    public async Task UnknownOrMalformedIdIsNotFoundProblem(string path)
    {
        using var client = fixture.CreateDashboardClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Sends a request that changes state exactly once: a resent submit is a second sweep (a long one keeps a worker
    /// busy), a resent grow adds twice, a resent delete answers 404. A 503 (the store slow to answer on a busy machine)
    /// changed nothing and is asked again after its Retry-After, as the API's contract says.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> request)
    {
        using var client = fixture.CreateSingleAttemptDashboardClient();
        // A first request to a cold Dashboard on a loaded two-core machine has taken over a minute.
        client.Timeout = TimeSpan.FromMinutes(5);
        // The content is read into memory before SendAsync returns, so the response outlives the client.
        return await client.SendUntilAnsweredAsync(request, tries: 5);
    }

    private static HttpRequestMessage SubmitRequest(string text, string mediaType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent(text, Encoding.UTF8, mediaType),
        };
        return request;
    }

    private static async Task<List<JsonElement>> TrialsAsync(HttpClient client, string sweepId)
        => (await client.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("trials").EnumerateArray().ToList();

    private static async Task<int> CountSweepsAsync(HttpClient client)
        => (await client.GetJsonAsync("/api/sweeps?take=1000")).GetArrayLength();

    // On a loaded two-core machine the Dashboard's first answer can take longer than one request's timeout; a
    // submit that timed out could still have been stored, so wait for a read to answer before submitting.
    private static Task ApiAnswersAsync(HttpClient client) => Eventually.UntilAsync(
        async () =>
        {
            try
            {
                using var response = await client.GetAsync("/api/sweeps?take=1");
                return response.IsSuccessStatusCode;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        },
        "the Dashboard's API to answer",
        SweepTimeout,
        TimeSpan.FromSeconds(1));

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.UntilAsync(condition, "the sweep to reach the expected state", SweepTimeout, TimeSpan.FromSeconds(1));
}
