using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// The store server is killed (SIGKILL, a real process) under a running Dashboard: every API route and export answers
/// 503 problem details with Retry-After, never 500; the pages say the store is unreachable; nothing logs a secret;
/// and once the store is back the API answers again.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StoreOutageTests : DashboardOverGarnet
{
    [Fact]
    public async Task WithTheStoreKilledEveryRouteIs503WithRetryAfterThePagesSaySoAndItRecovers()
    {
        var (sweepId, trialId) = await App.SubmitSmokeSweepAsync();
        using var session = await App.SignedInClientAsync();

        Store.Kill();

        // Concurrently: each call waits for the client's own timeout before it gives up on the store.
        using var client = App.Client();
        var routes = App.Routes.Where(r => r.ReadsTheStore).ToList();
        var answers = await Task.WhenAll(routes.Select(async route =>
        {
            using var request = route.Request(kind => kind == "sweep" ? sweepId : trialId, withKey: true);
            using var response = await client.SendAsync(request);
            return (Route: route, response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta,
                Type: response.Content.Headers.ContentType?.MediaType, Body: await response.Content.ReadAsStringAsync());
        }));
        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{answer.Route}: {answer.StatusCode} {answer.Body}");
            Assert.Equal(TimeSpan.FromSeconds(5), answer.RetryAfter);
            Assert.Equal("application/problem+json", answer.Type);
            Assert.Equal("Store unreachable", JsonDocument.Parse(answer.Body).RootElement.GetProperty("title").GetString());
        }

        var pages = await Task.WhenAll(new[] { "/", $"/sweeps/{sweepId}", $"/trials/{trialId}", $"/compare?trials={trialId}" }.Select(async path =>
        {
            using var response = await session.GetAsync(path);
            return (Path: path, response.StatusCode, Html: await response.Content.ReadAsStringAsync());
        }));
        foreach (var page in pages)
        {
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.Path}: {page.StatusCode}");
            Assert.Contains("store-unreachable", page.Html, StringComparison.Ordinal);
        }

        using (var submitPage = await session.GetAsync("/submit"))
        {
            Assert.Equal(HttpStatusCode.OK, submitPage.StatusCode);
        }

        await Store.RestartAsync();
        await AnswersAgainAsync(client, $"/api/trials/{trialId}");

        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(Store.Password, StringComparison.Ordinal)
            || line.Contains(DashboardApp.ApiKey, StringComparison.Ordinal)
            || line.Contains(DashboardApp.Token, StringComparison.Ordinal));
        Assert.Contains(App.Logs.Lines, line => line.Contains("answered 503", StringComparison.Ordinal));
    }

    private static async Task AnswersAgainAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var request = DashboardApp.KeyedGet(path);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {response.StatusCode} while the store came back");
            // A ceiling for a store that never comes back, not a measurement: the client's reconnect backoff on a loaded machine.
            Assert.True(clock.Elapsed < Eventually.DefaultTimeout, $"The API did not answer within {Eventually.DefaultTimeout.TotalSeconds:0} s of the store's restart.");
            await Task.Delay(500);
        }
    }
}
