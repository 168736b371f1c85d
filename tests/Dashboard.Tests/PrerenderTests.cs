using System.Net;
using static Experiments.Dashboard.Tests.MarkupCounts;
using static Experiments.Dashboard.Tests.TestData;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// What a Sweep page's first HTML (the server's prerender, before any circuit) carries: the first screenful of the
/// trial table and the learning curves as a static picture, so both are on screen before the page is interactive.
/// </summary>
public sealed class PrerenderTests
{
    private const string SweepId = "sw-prerendertest";

    [Fact]
    public async Task TheFirstHtmlOfALargeSweepCarriesAScreenfulOfRowsAndTheCurves()
    {
        var store = new InMemoryDashboardStore();
        store.Add(Sweep(SweepId, 300), [.. Enumerable.Range(0, 300).Select(i =>
            (Trial(SweepId, i, Params(("lr", (1e-4 * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture)))), Epochs(0.5, 0.6 + (i % 7 * 0.01), 0.7)))]);
        await using var host = await DashboardHost.StartAsync(store);
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.Address };
        using (await client.GetAsync($"/account/signin?t={DashboardHost.Token}"))
        {
        }

        using var response = await client.GetAsync($"/sweeps/{SweepId}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = html[html.IndexOf("trial-table", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Equal(30, Count(table, "href=\"trials/" + SweepId + "-"));
        Assert.Contains("class=\"chart-preview\"", html, StringComparison.Ordinal);
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.Contains("<polygon", html, StringComparison.Ordinal); // the 10-90 % band over 300 trials
    }
}
