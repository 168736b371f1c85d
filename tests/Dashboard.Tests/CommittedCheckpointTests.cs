using System.Net;
using System.Text;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Dashboard.Ui.Checkpoints;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// The Dashboard serves a trial's checkpoints as its record commits them: a file an attempt wrote after losing its
/// lease (or any file no commit names) is never listed, downloaded or exported, whatever its name.
/// </summary>
public sealed class CommittedCheckpointTests : DashboardOverGarnet
{
    [Fact]
    public async Task OnlyTheCommittedFilesAreListedDownloadedAndExported()
    {
        await App.SubmitSmokeSweepAsync();
        var queue = new TrialQueue(Store.Connection, new StoreOptions(), TimeProvider.System);
        var attempt = (await queue.TryClaimAsync("worker-1"))!;
        var trialId = attempt.TrialId;
        var files = new CheckpointStore(App.CheckpointRoot);
        files.Write(trialId, "e1-a1", s => WriteCheckpoint(s, 1f));
        Assert.Equal(EpochWrite.Recorded, (await queue.RecordEpochAsync(attempt, new EpochMetrics(1, 1.0, 0.5, 1.0, 0.5, 0.001, 1, 100), null, new TrialCheckpoints("e1-a1", "e1-a1"))).Write);
        // Written but never committed: a zombie's next epoch, and a fixed-name file the record does not mean.
        files.Write(trialId, "e2-a1", s => s.Write("zombie"u8));
        files.Write(trialId, "last", s => s.Write("stale"u8));
        using var client = App.Client();

        var record = (await App.Services.GetRequiredService<SweepStore>().GetTrialAsync(trialId))!;
        Assert.Equal(["best", "last"], App.Services.GetRequiredService<CheckpointList>().Names(record));
        var committed = await GetBytesAsync(client, $"/checkpoints/{trialId}/e1-a1", expect: HttpStatusCode.NotFound);
        var last = await GetBytesAsync(client, $"/checkpoints/{trialId}/last");
        var best = await GetBytesAsync(client, $"/checkpoints/{trialId}/best");
        await GetBytesAsync(client, $"/checkpoints/{trialId}/e2-a1", expect: HttpStatusCode.NotFound);
        await GetBytesAsync(client, $"/checkpoints/{trialId}/last.ckpt", expect: HttpStatusCode.NotFound);
        await GetBytesAsync(client, $"/api/trials/{trialId}/model.pt?checkpoint=last");

        using var expected = new MemoryStream();
        WriteCheckpoint(expected, 1f);
        Assert.Equal(expected.ToArray(), last);
        Assert.Equal(expected.ToArray(), best);
        Assert.Empty(committed);
    }

    private static async Task<byte[]> GetBytesAsync(HttpClient client, string path, HttpStatusCode expect = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", DashboardApp.ApiKey);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == expect, $"{path}: {response.StatusCode}, expected {expect}");
        return expect == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync() : [];
    }

    /// <summary>A checkpoint's model part as the Worker writes it (one tensor), enough for the export to read.</summary>
    private static void WriteCheckpoint(Stream stream, float weight)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointFormat.Magic);
        writer.Write(CheckpointFormat.Version);
        writer.Write("{}");
        writer.Write(1);
        writer.Write("fc.bias");
        writer.Write([6, 1, 1]); // float32, rank 1, 1 element
        writer.Write(BitConverter.GetBytes(weight));
    }
}
