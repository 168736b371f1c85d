using System.Net;
using System.Text;
using System.Text.Json;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// <c>POST /api/sweeps/{id}/trials</c> and time to target through the whole Dashboard on a real Garnet: what a caller
/// sends, what it gets back, and what the store then holds.
/// </summary>
public sealed class SweepGrowthApiTests : IAsyncLifetime
{
    private const string Sweep = """
        name: grow
        method: grid
        metric: { name: val_accuracy, goal: maximize, target: 0.8 }
        base: { dataset: synthetic, epochs: 3 }
        parameters:
          lr: { values: [0.001, 0.01] }
        """;

    private readonly GarnetServerFixture _store = new();
    private DashboardApp _app = default!;
    private HttpClient _client = default!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _app = await DashboardApp.StartAsync(_store);
        _client = _app.Client();
        _client.DefaultRequestHeaders.Add("X-Api-Key", DashboardApp.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    private async Task<string> SubmitAsync(string text)
    {
        using var submit = await _client.PostAsync("/api/sweeps", Yaml(text));
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        return JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("sweep_id").GetString()!;
    }

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private async Task<(HttpStatusCode Status, JsonElement Body)> AddAsync(string sweepId, string? text, string query = "")
    {
        using var response = await _client.PostAsync($"/api/sweeps/{sweepId}/trials{query}", text is null ? null : Yaml(text));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task ASweepGrowsByItsEditedFileAndBySeedsNeverRunningAConfigurationTwice()
    {
        var sweepId = await SubmitAsync(Sweep);

        var (status, body) = await AddAsync(sweepId, Sweep.Replace("[0.001, 0.01]", "[0.001, 0.01, 0.1]", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { $"{sweepId}-0002" }, Ids(body));
        Assert.Equal((2, 3), (body.GetProperty("already_in_sweep").GetInt32(), body.GetProperty("trial_count").GetInt32()));

        (status, body) = await AddAsync(sweepId, Sweep);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Ids(body));
        Assert.Equal(2, body.GetProperty("already_in_sweep").GetInt32());

        (status, body) = await AddAsync(sweepId, null, "?seeds=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(6, Ids(body).Length);

        using var sweep = JsonDocument.Parse(await _client.GetStringAsync($"/api/sweeps/{sweepId}"));
        var trials = sweep.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(9, trials.Count);
        Assert.Equal(9, trials.Select(t => t.GetProperty("config").GetRawText()).Distinct().Count());
        Assert.Equal(new[] { 1, 2 }, trials.Skip(3).Select(t => t.GetProperty("config").GetProperty("seed").GetInt32()).Distinct().Order());
        Assert.Contains("0.1]", sweep.RootElement.GetProperty("sweep").GetProperty("source_text").GetString(), StringComparison.Ordinal);

        (status, body) = await AddAsync(sweepId, Sweep.Replace("goal: maximize", "goal: minimize", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("must stay { name: val_accuracy, goal: maximize, target: 0.8 }", body.GetProperty("errors").GetProperty("metric")[0].GetString(), StringComparison.Ordinal);

        (status, body) = await AddAsync("sw-aaaaaaaaaaaa", Sweep);
        Assert.Equal(HttpStatusCode.NotFound, status);

        using var cancel = await _client.PostAsync($"/api/sweeps/{sweepId}/cancel", null);
        (status, body) = await AddAsync(sweepId, null, "?seeds=1");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("was cancelled", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var deleted = await SubmitAsync(Sweep);
        using var delete = await _client.DeleteAsync($"/api/sweeps/{deleted}");
        (status, body) = await AddAsync(deleted, Sweep);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("was deleted", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachTrialsTimeToTargetAndTheSweepsFastestAreInTheApi()
    {
        var sweepId = await SubmitAsync(Sweep);
        var queue = new TrialQueue(_store.Connection, new StoreOptions(), TimeProvider.System);
        var slow = (await queue.TryClaimAsync("worker-1"))!;
        var fast = (await queue.TryClaimAsync("worker-2"))!;
        static EpochMetrics Epoch(int epoch, double valAccuracy, double seconds) => new(epoch, 1.0, 0.5, 1.0, valAccuracy, 1e-3, seconds, 100);
        await queue.RecordEpochAsync(slow, Epoch(1, 0.5, 30));
        await queue.RecordEpochAsync(slow, Epoch(2, 0.81, 30));
        await queue.RecordEpochAsync(fast, Epoch(1, 0.9, 40));

        using var sweep = JsonDocument.Parse(await _client.GetStringAsync($"/api/sweeps/{sweepId}"));
        var summary = sweep.RootElement.GetProperty("time_to_target");
        Assert.Equal(("val_accuracy", "val_accuracy ≥ 80.00 %", 0.8, 2, 2, fast.TrialId, 1, 40.0), (
            summary.GetProperty("metric").GetString(), summary.GetProperty("goal").GetString(), summary.GetProperty("target").GetDouble(),
            summary.GetProperty("reached").GetInt32(), summary.GetProperty("trials").GetInt32(), summary.GetProperty("fastest_trial_id").GetString(),
            summary.GetProperty("fastest_epoch").GetInt32(), summary.GetProperty("fastest_seconds").GetDouble()));
        Assert.Equal(0.8, sweep.RootElement.GetProperty("sweep").GetProperty("metric").GetProperty("target").GetDouble());

        using var trial = JsonDocument.Parse(await _client.GetStringAsync($"/api/trials/{slow.TrialId}"));
        var target = trial.RootElement.GetProperty("trial").GetProperty("target");
        Assert.Equal((2, 60.0), (target.GetProperty("epoch").GetInt32(), target.GetProperty("seconds").GetDouble()));

        using var list = JsonDocument.Parse(await _client.GetStringAsync("/api/sweeps"));
        var item = list.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == sweepId);
        Assert.Equal(0.8, item.GetProperty("metric").GetProperty("target").GetDouble());
    }

    private static string[] Ids(JsonElement body) => [.. body.GetProperty("added_trial_ids").EnumerateArray().Select(e => e.GetString()!)];
}
