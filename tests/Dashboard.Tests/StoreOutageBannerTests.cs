using System.Collections.Concurrent;
using Experiments.Dashboard.Ui.Live;
using Experiments.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// The outage banner every page carries follows the real store: SIGKILL of the real Garnet process turns it on, its
/// restart turns it off, each heard once by a watching page, and the pages' markup carries it only meanwhile.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StoreOutageBannerTests : DashboardOverGarnet
{
    private const string Banner = "store-outage-banner";

    [Fact]
    public async Task BannerComesWithTheStoresKillAndGoesWhenItAnswersAgain()
    {
        var reachability = App.Services.GetRequiredService<StoreReachability>();
        var heard = new ConcurrentQueue<bool>();
        // As an open page's banner does: while anyone watches, the store is looked at every tick.
        using var watch = reachability.Watch(reachable =>
        {
            heard.Enqueue(reachable);
            return Task.CompletedTask;
        });
        using var session = await App.SignedInClientAsync();
        Assert.True(reachability.IsReachable);
        Assert.DoesNotContain(Banner, await session.GetStringAsync("/"), StringComparison.Ordinal);

        Store.Kill();

        await Eventually.UntilAsync(() => !reachability.IsReachable, "the banner's state to say the store is down after its kill");
        Assert.Contains(Banner, await session.GetStringAsync("/submit"), StringComparison.Ordinal);

        await Store.RestartAsync();

        await Eventually.UntilAsync(() => reachability.IsReachable, "the banner's state to say the store answers after its restart");
        Assert.DoesNotContain(Banner, await session.GetStringAsync("/submit"), StringComparison.Ordinal);
        // The state changes before the watchers are told: wait for the telling, then check it was each change once.
        await Eventually.UntilAsync(() => heard.Count >= 2, "the watching page to hear the store is back");
        Assert.Equal([false, true], heard);
    }
}
