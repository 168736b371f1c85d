using System.Net;
using System.Text.Json;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// The data set images over a real store: samples with class names, single images as PNG (read back pixel for pixel),
/// the test images a trial got most wrong, found by the trial's own config; and every bad input named.
/// </summary>
public sealed class DatasetImagesApiTests(DashboardOverStoreFixture fixture) : IClassFixture<DashboardOverStoreFixture>
{
    private DashboardApp App => fixture.App;

    [Fact]
    public async Task SyntheticSamplesCarryTheirClassNamesAndEachImageIsThePixelsTheTrainerSees()
    {
        using var client = KeyClient();
        var expected = SyntheticDataset.Create(DatasetCatalog.Split(new TrainingConfig { Dataset = Dataset.Synthetic, Seed = 5 }), 5).Test;

        using var samples = JsonDocument.Parse(await client.GetStringAsync("/api/datasets/synthetic/samples?split=test&start=2&count=4&seed=5"));

        var root = samples.RootElement;
        Assert.Equal(expected.Count, root.GetProperty("images").GetInt32());
        Assert.Equal(expected.ClassNames, root.GetProperty("class_names").EnumerateArray().Select(n => n.GetString()));
        var listed = root.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4, 5], listed.Select(s => s.GetProperty("index").GetInt32()));
        Assert.All(listed, s =>
        {
            var index = s.GetProperty("index").GetInt32();
            Assert.Equal(expected.Labels[index], s.GetProperty("label").GetInt32());
            Assert.Equal(expected.ClassNames[(int)expected.Labels[index]], s.GetProperty("class_name").GetString());
        });

        using var image = await client.GetAsync(listed[1].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        var (channels, height, width, planar) = PngDecoding.Decode(await image.Content.ReadAsByteArrayAsync());
        Assert.Equal((3, 32, 32), (channels, height, width));
        Assert.Equal(expected.Pixels.AsSpan(3 * 3072, 3072).ToArray(), planar);
    }

    [Fact]
    public async Task ACifar10TestImageComesFromTheSharedDataFolderAndIsMissingUntilAWorkerPutItThere()
    {
        using var client = KeyClient();

        using var missing = await client.GetAsync("/api/datasets/cifar10/samples?split=test");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var problem = await missing.Content.ReadAsStringAsync();
        Assert.Contains("CIFAR-10 is not in the data folder", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(App.DataRoot, problem, StringComparison.Ordinal);

        // The official test batch's layout: 10,000 records of a label byte and 3,072 planar pixels.
        var folder = Directory.CreateDirectory(Path.Combine(App.DataRoot, "cifar-10-batches-bin")).FullName;
        var batch = new byte[10_000 * 3073];
        for (int record = 0; record < 10_000; record++)
        {
            batch[record * 3073] = (byte)(record % 10);
            for (int p = 0; p < 3072; p++)
                batch[(record * 3073) + 1 + p] = (byte)((record * 7) + p);
        }
        await File.WriteAllBytesAsync(Path.Combine(folder, "test_batch.bin"), batch);

        using var samples = JsonDocument.Parse(await client.GetStringAsync("/api/datasets/cifar10/samples?split=test&start=1234&count=2"));
        var first = samples.RootElement.GetProperty("samples")[0];
        Assert.Equal((1234, 4, "deer"), (first.GetProperty("index").GetInt32(), first.GetProperty("label").GetInt32(), first.GetProperty("class_name").GetString()));
        var png = await client.GetByteArrayAsync("/api/datasets/cifar10/images/test/1234.png");
        Assert.Equal(batch.AsSpan((1234 * 3073) + 1, 3072).ToArray(), PngDecoding.Decode(png).Planar);
        using var train = await client.GetAsync("/api/datasets/cifar10/images/train/0.png");
        Assert.Equal(HttpStatusCode.NotFound, train.StatusCode);
    }

    [Theory]
    [InlineData("/api/datasets/imagenet/samples", HttpStatusCode.NotFound, "No data set 'imagenet'; the data sets are cifar10, fashion_mnist, synthetic")]
    [InlineData("/api/datasets/synthetic/samples?split=val", HttpStatusCode.BadRequest, "split: must be train or test, not 'val'")]
    [InlineData("/api/datasets/synthetic/samples?count=0", HttpStatusCode.BadRequest, "count: must be a whole number from 1 to 64, not '0'")]
    [InlineData("/api/datasets/synthetic/samples?count=65", HttpStatusCode.BadRequest, "count: must be a whole number from 1 to 64, not '65'")]
    [InlineData("/api/datasets/synthetic/samples?start=-1", HttpStatusCode.BadRequest, "start: must be a whole number from 0, not '-1'")]
    [InlineData("/api/datasets/synthetic/samples?start=999999", HttpStatusCode.BadRequest, "start: the test part of synthetic has 51 images")]
    [InlineData("/api/datasets/cifar10/samples?seed=3", HttpStatusCode.BadRequest, "seed: only synthetic images depend on a seed")]
    [InlineData("/api/datasets/synthetic/images/test/51.png", HttpStatusCode.NotFound, "has 51 images; there is no image 51")]
    [InlineData("/api/datasets/synthetic/images/test/..%2Fetc.png", HttpStatusCode.BadRequest, "index: must be a whole number from 0, not '")]
    [InlineData("/api/datasets/synthetic/images/test/1e3.png", HttpStatusCode.BadRequest, "index: must be a whole number from 0, not '1e3'")]
    [InlineData("/api/datasets/synthetic/images/valid/0.png", HttpStatusCode.BadRequest, "split: must be train or test, not 'valid'")]
    public async Task BadInputIsAProblemNamingWhatIsWrong(string path, HttpStatusCode status, string detail)
    {
        using var client = KeyClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMostWrongImageIsTheTestImageItsEvaluationNamesFromTheTrialsOwnData()
    {
        var trialId = fixture.TrialId;
        var queue = new TrialQueue(fixture.Store.Connection, new StoreOptions(), TimeProvider.System);
        TrialLease lease;
        while ((lease = (await queue.TryClaimAsync("worker-1"))!).TrialId != trialId)
        {
            await queue.FinishAsync(lease, TrialOutcome.Completed([]));
        }
        var names = DatasetCatalog.Of(Dataset.Synthetic).ClassNames;
        var test = SyntheticDataset.Create(DatasetCatalog.Split(lease.Config), lease.Config.Seed).Test;
        WrongPrediction Wrong(int index) => new(index, (int)test.Labels[index], names[(int)test.Labels[index]], 0, names[0], 0.9, 3.1);
        var evaluation = TestData.Evaluation(0.5) with { Checkpoint = "last", MostWrong = [Wrong(4), Wrong(1)] };
        await queue.FinishAsync(lease, TrialOutcome.Completed([evaluation]));
        using var client = KeyClient();

        var second = await client.GetByteArrayAsync($"/api/trials/{trialId}/most-wrong/last/1.png");
        using var beyond = await client.GetAsync($"/api/trials/{trialId}/most-wrong/last/2.png");
        using var otherCheckpoint = await client.GetAsync($"/api/trials/{trialId}/most-wrong/best/0.png");
        using var badRank = await client.GetAsync($"/api/trials/{trialId}/most-wrong/last/x.png");
        using var badTrial = await client.GetAsync("/api/trials/..%2F..%2Fetc/most-wrong/last/0.png");

        Assert.Equal(test.Pixels.AsSpan(1 * 3072, 3072).ToArray(), PngDecoding.Decode(second).Planar);
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
        Assert.Contains("lists 2 most-wrong test images; there is no rank 2", await beyond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherCheckpoint.StatusCode);
        Assert.Contains("no test evaluation of a checkpoint 'best' (it has: last)", await otherCheckpoint.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRank.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badTrial.StatusCode);
    }

    [Fact]
    public async Task ATrialsAugmentedBatchIsThePictureItsWorkerWroteAndMissingUntilThen()
    {
        using var client = KeyClient();
        var trialId = fixture.SweepId + "-0001";

        using var before = await client.GetAsync($"/api/trials/{trialId}/augmented.png");
        var png = PngImage.Encode(new byte[3 * 4 * 6], 3, 4, 6);
        new CheckpointStore(App.CheckpointRoot).WriteImage(trialId, AugmentedBatch.ImageName, png);
        using var after = await client.GetAsync($"/api/trials/{trialId}/augmented.png");

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Contains("has no augmented batch (augmentation: none): its worker writes one when the trial starts training", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("image/png", after.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await after.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ASignedInBrowserMayReadTheImagesButNobodyElse()
    {
        using var anonymous = App.Client();
        using var browser = await App.SignedInClientAsync();

        using var refused = await anonymous.GetAsync("/api/datasets/synthetic/images/test/0.png");
        using var allowed = await browser.GetAsync("/api/datasets/synthetic/images/test/0.png");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private HttpClient KeyClient()
    {
        var client = App.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardApp.ApiKey);
        return client;
    }
}
