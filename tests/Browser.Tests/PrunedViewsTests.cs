using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Experiments.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Experiments.Browser.Tests;

/// <summary>An ASHA sweep run by the real workers, seen in a real browser: pruned trials stand out, each says why.</summary>
[Collection(DashboardAppCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PrunedViewsTests(DashboardAppFixture fixture)
{
    /// <summary>Six tiny trials of four epochs on two workers; generous, since CI machines are shared.</summary>
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(10);

    [BrowserFact]
    public async Task PrunedTrialsStandOutOnTheSweepPageAndTheTrialPageListsTheDecisionThatStoppedThem()
    {
        using var client = fixture.CreateHttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardAppFixture.ApiKey);
        client.Timeout = TimeSpan.FromMinutes(5);
        var sweepId = await SubmitAsync(client, File.ReadAllText(RepositoryPaths.SweepFile("asha-synthetic.yaml")));
        var trials = await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("trials").EnumerateArray().ToList(),
            seen => seen.All(t => t.GetProperty("status").GetString() is "completed" or "pruned"),
            "every trial of the ASHA sweep to complete or be pruned", SweepTimeout, TimeSpan.FromSeconds(1));
        var pruned = trials.Where(t => t.GetProperty("status").GetString() == "pruned").ToList();
        Assert.NotEmpty(pruned);

        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;
        await session.SignInAsync(DashboardAppFixture.BrowserToken);

        await page.GotoAsync($"sweeps/{sweepId}");
        await Expect(page.Locator(".chart[data-chart-drawn]")).Not.ToHaveCountAsync(0);
        // Each pruned trial: its own status badge and where it stopped; the sweep: the rule and what it saved.
        await Expect(page.Locator(".trial-table .status-pruned")).ToHaveCountAsync(pruned.Count);
        await Expect(page.Locator(".trial-table .pruned-at").First).ToContainTextAsync("at epoch");
        var card = page.Locator(".early-card");
        await Expect(card).ToContainTextAsync($"by stopping {pruned.Count} trial");
        await Expect(card).ToContainTextAsync("ASHA: rungs at epochs 1, 3");
        await session.ScreenshotAsync("sweep-pruned");

        var trialId = pruned[0].GetProperty("id").GetString()!;
        await page.GotoAsync($"trials/{trialId}");
        await Expect(page.Locator("h1 .status-pruned")).ToHaveCountAsync(1);
        var prune = page.Locator(".decisions-table tr.decision-prune");
        await Expect(prune).ToHaveCountAsync(1);
        await Expect(prune).ToContainTextAsync(pruned[0].GetProperty("reason").GetString()!);
        await session.ScreenshotAsync("trial-pruned");
        Assert.Empty(session.Errors);
    }

    private static async Task<string> SubmitAsync(HttpClient client, string yaml)
    {
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        using var submitted = await client.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        return (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
    }
}
