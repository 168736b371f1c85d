using System.Net;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// A store that is slow is not a store that is down: a request the store answers only after 8 s (the real server
/// stopped with SIGSTOP, then continued) gets its answer, not 503. The client's default 5 s timeout answered 503 for
/// that (CI saw it on a loaded machine); a store that is gone still answers 503 at once, without waiting for the timeout.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SlowStoreTests : DashboardOverGarnet
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task ARequestTheStoreAnswersAfterEightSecondsGetsItsAnswerNot503()
    {
        var (_, trialId) = await App.SubmitSmokeSweepAsync();
        using var client = App.Client();

        Store.Pause();
        Task<HttpResponseMessage> pending;
        try
        {
            pending = client.SendAsync(DashboardApp.KeyedGet($"/api/trials/{trialId}"));
            // The fault's length, not a measurement: the store answers nothing for this long.
            await Task.Delay(Stall);
            Assert.False(pending.IsCompleted, "the request was answered while the store was stopped");
        }
        finally
        {
            Store.Resume();
        }

        using var response = await pending;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task WithTheStoreGoneARequestIs503WithoutWaitingForTheTimeout()
    {
        var (_, trialId) = await App.SubmitSmokeSweepAsync();
        using var client = App.Client();
        Store.Kill();

        using var response = await client.SendAsync(DashboardApp.KeyedGet($"/api/trials/{trialId}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // Failed for want of a connection, not after waiting out the timeout a connected store gets.
        var said = App.Logs.Lines.Where(line => line.Contains("answered 503", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(said);
        Assert.All(said, line => Assert.Contains("RedisConnectionException", line, StringComparison.Ordinal));
    }
}
