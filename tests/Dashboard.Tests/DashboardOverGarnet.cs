using Experiments.Core.Tests.Fixtures;

namespace Experiments.Dashboard.Tests;

/// <summary>A test class's own Dashboard over its own real Garnet store: started before its tests, stopped after them.</summary>
public abstract class DashboardOverGarnet : IAsyncLifetime
{
    private protected GarnetServerFixture Store { get; } = new();

    private protected DashboardApp App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await Store.InitializeAsync();
        App = await DashboardApp.StartAsync(Store);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Store.DisposeAsync();
    }
}
