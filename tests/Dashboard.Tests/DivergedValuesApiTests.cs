using System.Net;
using System.Text.Json;
using Experiments.Core.Queue;
using Experiments.Core.Records;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// A diverging trial reports NaN and infinite losses (its live progress, its epochs). JSON has no such numbers: the API
/// answers them as null, in a whole response (a serializer that threw mid-body cut the connection: seen in CI).
/// </summary>
public sealed class DivergedValuesApiTests : DashboardOverGarnet
{
    [Fact]
    public async Task NaNAndInfiniteLossesAreAnsweredAsNullInAWholeResponse()
    {
        var (sweepId, trialId) = await App.SubmitSmokeSweepAsync();
        var queue = new TrialQueue(Store.Connection, new StoreOptions(), TimeProvider.System);
        var lease = (await queue.TryClaimAsync("worker-1"))!;
        Assert.Equal(trialId, lease.TrialId);
        Assert.Equal(EpochWrite.Recorded, await queue.RecordEpochAsync(lease, new EpochMetrics(1, double.PositiveInfinity, 0.1, double.NaN, 0.1, 1e-3, 1.0, 100)));
        await queue.RenewAsync(lease, new TrialProgress(lease.Attempt, 2, 2, 3, 10, double.NaN, 100, 1.5));
        using var client = App.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardApp.ApiKey);

        using var sweep = await client.GetAsync($"/api/sweeps/{sweepId}");
        using var trial = await client.GetAsync($"/api/trials/{trialId}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (sweep.StatusCode, trial.StatusCode));
        using var sweepJson = JsonDocument.Parse(await sweep.Content.ReadAsStringAsync());
        var progress = sweepJson.RootElement.GetProperty("trials")[0].GetProperty("progress");
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("loss").ValueKind);
        Assert.Equal(100, progress.GetProperty("images_per_second").GetDouble());
        using var trialJson = JsonDocument.Parse(await trial.Content.ReadAsStringAsync());
        var epoch = trialJson.RootElement.GetProperty("epochs")[0];
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (epoch.GetProperty("train_loss").ValueKind, epoch.GetProperty("val_loss").ValueKind));
        Assert.Equal(0.1, epoch.GetProperty("val_accuracy").GetDouble());
    }
}
