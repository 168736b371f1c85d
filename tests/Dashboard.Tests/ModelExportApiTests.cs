using System.IO.Compression;
using System.Net;
using System.Text;
using Experiments.Core.Checkpoints;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// <c>GET /api/trials/{id}/model.pt?checkpoint=best|last</c> over a real store: a stored checkpoint's model as
/// torch.save's zip (whose loading by PyTorch itself is tested against python3-torch in the Worker tests), and the
/// Trial page's link to it. Access rules are the API's (ApiAccessTests covers every route).
/// </summary>
public sealed class ModelExportApiTests(DashboardOverStoreFixture fixture) : IClassFixture<DashboardOverStoreFixture>
{
    private static readonly float[] Weights = [1.5f, -2, 0.25f, 3, 4, -5];

    private DashboardApp App => fixture.App;

    [Fact]
    public async Task AStoredCheckpointDownloadsAsAPyTorchStateDict()
    {
        WriteCheckpoint(fixture.TrialId);
        using var client = App.Client();

        using var response = await client.SendAsync(WithKey($"/api/trials/{fixture.TrialId}/model.pt?checkpoint=last"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{fixture.TrialId}-last.pt", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["archive/data.pkl", "archive/data/0", "archive/data/1", "archive/version", "archive/byteorder"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(Weights.SelectMany(BitConverter.GetBytes), Read(zip, "archive/data/0"));
        Assert.Equal(BitConverter.GetBytes(7L), Read(zip, "archive/data/1"));
        var pickle = Encoding.ASCII.GetString(Read(zip, "archive/data.pkl"));
        Assert.Contains("fc.weight", pickle, StringComparison.Ordinal);
        Assert.Contains("torch\nFloatStorage\n", pickle, StringComparison.Ordinal);
        Assert.Contains("torch\nLongStorage\n", pickle, StringComparison.Ordinal);
        Assert.Contains("torch._utils\n_rebuild_tensor_v2\n", pickle, StringComparison.Ordinal);
        Assert.Equal("3\n", Encoding.ASCII.GetString(Read(zip, "archive/version")));
    }

    [Fact]
    public async Task WithoutACheckpointNameTheHeadlineOneIsSentAndAMissingOneIs404()
    {
        WriteCheckpoint(fixture.TrialId);
        using var client = App.Client();

        using var headline = await client.SendAsync(WithKey($"/api/trials/{fixture.TrialId}/model.pt"));
        using var missing = await client.SendAsync(WithKey($"/api/trials/{fixture.TrialId}/model.pt?checkpoint=best"));
        using var noTrial = await client.SendAsync(WithKey($"/api/trials/{fixture.SweepId}-0099/model.pt?checkpoint=last"));

        Assert.Equal(HttpStatusCode.OK, headline.StatusCode);
        Assert.Equal($"{fixture.TrialId}-last.pt", headline.Content.Headers.ContentDisposition?.FileNameStar ?? headline.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no stored 'best' checkpoint", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noTrial.StatusCode);
    }

    [Theory]
    [InlineData("../last")]
    [InlineData("model")]
    [InlineData("LAST")]
    public async Task ACheckpointNameOutsideBestAndLastIs400(string name)
    {
        using var client = App.Client();

        using var response = await client.SendAsync(WithKey($"/api/trials/{fixture.TrialId}/model.pt?checkpoint={Uri.EscapeDataString(name)}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be one of best, last", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADamagedCheckpointIsAProblemNotACutOffDownload()
    {
        var store = new CheckpointStore(App.CheckpointRoot);
        string trial = fixture.SweepId + "-0001";
        store.Write(trial, "best", s => s.Write("not a checkpoint"u8));
        using var client = App.Client();

        using var response = await client.SendAsync(WithKey($"/api/trials/{trial}/model.pt?checkpoint=best"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheTrialPageLinksTheModelOfEachStoredCheckpointAndASessionDownloadsIt()
    {
        WriteCheckpoint(fixture.TrialId);
        using var client = await App.SignedInClientAsync();

        var page = await client.GetStringAsync($"/trials/{fixture.TrialId}");
        using var download = await client.GetAsync($"/api/trials/{fixture.TrialId}/model.pt?checkpoint=last");

        Assert.Contains($"/api/trials/{fixture.TrialId}/model.pt?checkpoint=last", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    private static HttpRequestMessage WithKey(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", DashboardApp.ApiKey);
        return request;
    }

    /// <summary>A checkpoint as the Worker writes one (<see cref="CheckpointFormat"/>, TorchSharp's tensor encoding).</summary>
    private void WriteCheckpoint(string trialId) => new CheckpointStore(App.CheckpointRoot).Write(trialId, "last", stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(CheckpointFormat.Magic);
        writer.Write(CheckpointFormat.Version);
        writer.Write("{}");
        writer.Write(2);
        writer.Write("fc.weight");
        writer.Write([6, 2, 2, 3]); // float32, rank 2, 2 x 3
        writer.Write(Weights.SelectMany(BitConverter.GetBytes).ToArray());
        writer.Write("bn1.num_batches_tracked");
        writer.Write([4, 0]); // int64, rank 0
        writer.Write(7L);
        // What follows the model part (optimizer, generators) is not read by the export.
    });

    private static byte[] Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
