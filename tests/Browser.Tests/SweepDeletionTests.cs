using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Experiments.Browser.Tests;

/// <summary>Deleting a sweep in a real browser: nothing happens until the dialog is confirmed, then it is gone everywhere.</summary>
[Collection(DashboardAppCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SweepDeletionTests(DashboardAppFixture fixture)
{
    /// <summary>Queued trials of a data set the worker cannot load would fail; a cancelled sweep keeps the worker free.</summary>
    private const string Sweep = """
        name: to-delete
        method: grid
        base: { dataset: synthetic, synthetic_size: 64, epochs: 1, batch_size: 16 }
        parameters:
          lr: { values: [0.001, 0.002, 0.003] }
        """;

    [BrowserFact]
    public async Task SweepIsDeletedOnlyAfterTheDialogIsConfirmedAndThenVanishesFromTheList()
    {
        using var client = fixture.CreateHttpClient();
        // Reads need the key too: every API route does.
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardAppFixture.ApiKey);
        var sweepId = await SubmitCancelledAsync(client);
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;
        await session.SignInAsync(DashboardAppFixture.BrowserToken);

        await page.GotoAsync($"sweeps/{sweepId}");
        // A drawn chart means the page is interactive: clicks reach the server.
        await Expect(page.Locator(".chart[data-chart-drawn]")).ToHaveCountAsync(1);
        var dialog = page.GetByRole(AriaRole.Alertdialog);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete sweep…" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Delete sweep “to-delete”?");
        await Expect(dialog).ToContainTextAsync("Its 3 trials with their records, metrics and checkpoints are deleted for good.");
        await session.ScreenshotAsync("delete-sweep-dialog");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        using (var kept = await client.GetAsync($"/api/sweeps/{sweepId}"))
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete sweep…" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete sweep", Exact = true }).ClickAsync();

        await page.WaitForURLAsync(fixture.BaseAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sweeps" })).ToBeVisibleAsync();
        await Expect(page.Locator(".sweeps-table tbody tr").Filter(new() { HasText = "to-delete" })).ToHaveCountAsync(0);
        using (var gone = await client.GetAsync($"/api/sweeps/{sweepId}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await page.GotoAsync($"sweeps/{sweepId}");
        await Expect(page.GetByText("No sweep with this id.")).ToBeVisibleAsync();
        Assert.Empty(session.Errors);
    }

    private static async Task<string> SubmitCancelledAsync(HttpClient client)
    {
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent(Sweep, Encoding.UTF8, "application/yaml") };
        using var submitted = await client.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var sweepId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps/{sweepId}/cancel");
        using var cancelled = await client.SendAsync(cancel);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        return sweepId;
    }
}
