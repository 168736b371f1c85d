using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Experiments.Tests.Shared;

namespace Experiments.Browser.Tests;

/// <summary>
/// A user's whole journey in a real browser: sign in, submit the smoke sweep through the form, watch its trials
/// finish live, open a trial's curves and confusion matrix, compare the trials. Screenshots of every page.
/// </summary>
[Collection(DashboardAppCollection.Name)]
// Slow: a real Chromium against the whole AppHost.
[Trait("Category", "Slow")]
public sealed partial class SweepJourneyTests(DashboardAppFixture fixture)
{
    /// <summary>Both smoke trials train in seconds; the rest is the worker loading TorchSharp and the data.</summary>
    private static readonly float SweepTimeoutMs = (float)TimeSpan.FromMinutes(3).TotalMilliseconds;

    [BrowserFact]
    public async Task SmokeSweepSubmittedThroughTheFormCompletesLiveAndShowsCurvesAndConfusionMatrix()
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        var page = session.Page;
        await session.SignInAsync(DashboardAppFixture.BrowserToken);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sweeps" })).ToBeVisibleAsync();

        // Submit: the editor, the check with its preview, then the form's submit.
        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync(UrlEndingWith("/submit"));
        await CheckInEditorAsync(page, File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")));
        await Expect(page.Locator(".spec-preview h3")).ToHaveTextAsync("smoke");
        await Expect(page.Locator(".spec-preview .trial-count")).ToHaveTextAsync("2");
        await Expect(page.Locator(".spec-preview tbody tr")).ToHaveCountAsync(2);
        await session.ScreenshotAsync("submit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit sweep" }).ClickAsync();
        await page.WaitForURLAsync(SweepUrl());
        var sweepId = SweepUrl().Match(page.Url).Groups["id"].Value;

        // Sweep: from this point the page is never reloaded; the live feed must push every change.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var statuses = page.Locator(".trial-table .status");
        // Counted and read in one look: the grid re-renders live (and once more when the page turns interactive), so a
        // second query after the count may find the rows between two renders.
        var firstSeen = await (await page.WaitForFunctionAsync(
            "() => { const s = [...document.querySelectorAll('.trial-table .status')].map(e => e.textContent.trim()); return s.length === 2 ? s : null; }")
            ).JsonValueAsync<string[]>();
        Assert.Contains(firstSeen, s => s != "completed");
        await Expect(statuses).ToHaveTextAsync(["completed", "completed"], new() { Timeout = SweepTimeoutMs });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the sweep page was reloaded");
        await Expect(page.Locator(".trial-table .col-progress")).ToContainTextAsync(["2/2", "2/2"]);
        await Expect(page.Locator(".statusbar-text")).ToHaveTextAsync("2/2");
        await Expect(page.Locator(".best-card a")).ToBeVisibleAsync();
        // One curve per trial on the sweep's overlaid learning curves (the legend's samples are not in the plot layer).
        await Expect(page.Locator(".chart[data-chart-drawn] .scatterlayer path.js-line")).ToHaveCountAsync(2);
        await AssertChartsStyledAsync(page);
        await session.ScreenshotAsync("sweep");

        // Trial: curves, the confusion matrix heat map, per-class metrics, every epoch.
        await page.Locator(".trial-table a[href^='trials/']").First.ClickAsync();
        await page.WaitForURLAsync(TrialUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("completed");
        foreach (var title in new[] { "Accuracy", "Loss" })
        {
            var chart = Panel(page, title).Locator(".chart");
            await Expect(chart).ToHaveAttributeAsync("data-chart-drawn", "1");
            await Expect(chart.Locator("svg.main-svg").First).ToBeVisibleAsync();
            // Train and validation, one line each.
            await Expect(chart.Locator(".scatterlayer path.js-line")).ToHaveCountAsync(2);
        }

        // One panel per evaluated checkpoint, each with its heat map (a class per row) and per-class table.
        var evaluations = await page.Locator("section.evaluation").AllAsync();
        Assert.NotEmpty(evaluations);
        foreach (var evaluation in evaluations)
        {
            var confusion = evaluation.Locator(".confusion-matrix");
            await Expect(confusion).ToHaveAttributeAsync("data-chart-drawn", "1");
            await Expect(confusion.Locator("g.hm image")).ToHaveCountAsync(1);
            // The synthetic data set's ten classes label the rows.
            var rowLabels = await confusion.Locator("g.ytick text").AllTextContentsAsync();
            Assert.Equal(Enumerable.Range(0, 10).Select(c => $"class{c}"), rowLabels.Order(StringComparer.Ordinal));
            var perClass = evaluation.Locator("table.class-metrics tbody tr");
            await Expect(perClass).ToHaveCountAsync(10);
            await Expect(perClass.First.Locator("td")).ToHaveCountAsync(5);
        }

        await Expect(Panel(page, "Epochs").Locator("tbody tr")).ToHaveCountAsync(2);
        await AssertChartsStyledAsync(page);
        await session.ScreenshotAsync("trial");

        // Compare: both trials, picked in the sweep's table; their configs differ only in lr.
        await page.Locator($"a[href='sweeps/{sweepId}']").First.ClickAsync();
        await page.WaitForURLAsync(SweepUrl());
        // A drawn chart means the page is interactive (charts draw after the first interactive render), so
        // the selection reaches the server instead of only ticking prerendered boxes.
        await Expect(page.Locator(".chart[data-chart-drawn]")).ToHaveCountAsync(1);
        // The virtualized table fills its rows in a render after the first.
        var selectBoxes = page.Locator(".trial-table .col-select input[type=checkbox]");
        await Expect(selectBoxes).ToHaveCountAsync(2);
        foreach (var checkbox in await selectBoxes.AllAsync())
        {
            await checkbox.CheckAsync();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Compare 2" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/compare\\?trials="));
        await Expect(page.Locator(".config-diff thead th a")).ToHaveCountAsync(2);
        await Expect(page.Locator(".config-diff tr.differs th")).ToHaveTextAsync(["lr"]);
        await Expect(page.Locator(".chart[data-chart-drawn] .scatterlayer path.js-line")).ToHaveCountAsync(2);
        await AssertChartsStyledAsync(page);
        await session.ScreenshotAsync("compare");

        // Sweeps: the list shows the finished sweep.
        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Sweeps" }).ClickAsync();
        var row = page.Locator(".sweeps-table tbody tr").Filter(new() { HasText = sweepId });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".statusbar-text")).ToHaveTextAsync("2/2");
        await session.ScreenshotAsync("sweeps");

        Assert.Empty(session.Errors);
    }

    /// <summary>
    /// Puts the text in the editor and presses Check. The page is prerendered first: until its circuit is
    /// connected the editor is plain HTML and the button does nothing, so repeat until the preview answers.
    /// </summary>
    private static async Task CheckInEditorAsync(IPage page, string text)
    {
        var editor = page.Locator("textarea.yaml-editor");
        var check = page.GetByRole(AriaRole.Button, new() { Name = "Check & preview" });
        var previewName = page.Locator(".spec-preview h3");
        await Eventually.UntilAsync(
            async () =>
            {
                await editor.FillAsync(text);
                await check.ClickAsync();
                try
                {
                    await Expect(previewName).ToHaveTextAsync("smoke", new() { Timeout = 2_000 });
                    return true;
                }
                catch (PlaywrightException)
                {
                    // Not interactive yet (or it showed the prefilled example): fill and check again.
                    return false;
                }
            },
            "the Submit page to answer Check with the sweep's preview");
    }

    /// <summary>
    /// Plotly's own stylesheet is in force: without it the plot layers are laid out in the page flow, cover
    /// what follows and swallow its clicks (what enhanced navigation once caused by dropping plotly's style).
    /// </summary>
    private static async Task AssertChartsStyledAsync(IPage page)
    {
        var positions = await page.Locator(".chart .main-svg").EvaluateAllAsync<string[]>("svgs => svgs.map(s => getComputedStyle(s).position)");
        Assert.NotEmpty(positions);
        Assert.All(positions, position => Assert.Equal("absolute", position));
    }

    private static ILocator Panel(IPage page, string heading) =>
        page.Locator("section.panel").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true }) });

    private static Regex UrlEndingWith(string path) => new(Regex.Escape(path) + "$");

    [GeneratedRegex("/sweeps/(?<id>[^/?#]+)$")]
    private static partial Regex SweepUrl();

    [GeneratedRegex("/trials/(?<id>[^/?#]+)$")]
    private static partial Regex TrialUrl();
}
