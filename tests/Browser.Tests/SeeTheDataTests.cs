using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Experiments.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Experiments.Browser.Tests;

/// <summary>
/// The notebook's look at the data, in a real browser over a trial the real workers trained: its first augmented batch,
/// the test images it got most wrong (each image loaded through the signed-in session), and a data set's images.
/// </summary>
[Collection(DashboardAppCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SeeTheDataTests(DashboardAppFixture fixture)
{
    // One epoch on a few noisy synthetic images: the model gets some of its six test images wrong.
    private const string Sweep = """
        name: see-the-data
        method: grid
        metric: { name: val_accuracy, goal: maximize }
        base:
          dataset: synthetic
          synthetic_size: 64
          epochs: 1
          batch_size: 16
          stem: cifar
          augmentation: crop_flip
          checkpoint: best_last
          seed: 4
        parameters:
          lr: { values: [0.001] }
        """;

    [BrowserFact]
    public async Task TheTrialPageShowsItsAugmentedBatchAndMostWrongTestImagesAndTheDataSetPageItsImages()
    {
        using var client = fixture.CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardAppFixture.ApiKey);
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent(Sweep, Encoding.UTF8, "application/yaml") };
        using var submitted = await client.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var trialId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trial_ids")[0].GetString()!;
        var trial = await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync($"/api/trials/{trialId}")).GetProperty("trial"),
            t => t.GetProperty("status").GetString() == "completed",
            "the trial to complete", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        var wrong = trial.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("most_wrong").GetArrayLength()).Sum();
        Assert.True(wrong > 0, "one epoch should leave mistakes on the test images");

        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;
        await session.SignInAsync(DashboardAppFixture.BrowserToken);

        await page.GotoAsync($"trials/{trialId}");
        await Expect(page.Locator(".most-wrong .image-tile img")).ToHaveCountAsync(wrong);
        // 32 images of 32x32 in rows of 8 with 2-pixel gaps: the batch of 16 makes two rows.
        Assert.Equal((270, 66), await LoadedSizeAsync(page.Locator("img.augmented-batch")));
        foreach (var image in await page.Locator(".most-wrong .image-tile img").AllAsync())
            Assert.Equal((32, 32), await LoadedSizeAsync(image));
        await Expect(page.Locator(".most-wrong .true-class").First).Not.ToBeEmptyAsync();
        await session.ScreenshotAsync("trial-see-the-data");

        await page.Locator(".trial-data a").ClickAsync();
        await Expect(page.Locator(".dataset-samples .image-tile")).Not.ToHaveCountAsync(0);
        Assert.Equal((32, 32), await LoadedSizeAsync(page.Locator(".dataset-samples .image-tile img").First));
        await session.ScreenshotAsync("dataset-synthetic");
        Assert.Empty(session.Errors);
    }

    // The image's own pixels once the browser has decoded it: 0 x 0 for a failed load. The page may replace its images
    // meanwhile (turning interactive, a live update: "Element is not attached to the DOM" in a CI run), so each look
    // resolves the locator again.
    private static async Task<(int Width, int Height)> LoadedSizeAsync(ILocator image)
    {
        var size = await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    // Lazily loaded: only an image scrolled into view is fetched.
                    await image.ScrollIntoViewIfNeededAsync(new() { Timeout = 10_000 });
                    var loaded = await image.EvaluateAsync<int[]?>("i => i.complete ? [i.naturalWidth, i.naturalHeight] : null");
                    return loaded is [var width, var height] ? (width, height) : ((int Width, int Height)?)null;
                }
                catch (PlaywrightException)
                {
                    return null;
                }
            },
            loaded => loaded is not null,
            "the image to load",
            interval: TimeSpan.FromMilliseconds(200));
        return size!.Value;
    }
}
