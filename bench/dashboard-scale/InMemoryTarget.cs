using Experiments.Dashboard.Ui;
using Experiments.Dashboard.Ui.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Experiments.DashboardScale;

/// <summary>The Dashboard UI hosted in this process over <see cref="SyntheticStore"/>, wired as the app wires it.</summary>
internal sealed class InMemoryTarget(WebApplication app, Uri address) : IBenchTarget
{
    public Uri BaseAddress => address;
    public string Token => "bench-browser-token-0123456789";
    public IReadOnlyList<(int Trials, string Path)> Sweeps => [(2000, "/sweeps/" + SyntheticStore.SweepId)];
    public int SweepCount => 1;

    public static async Task<InMemoryTarget> StartAsync()
    {
        // Development: static web assets resolve from the Dashboard project's wwwroot via its runtime manifest.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Experiments.Dashboard",
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Dashboard:BrowserToken"] = "bench-browser-token-0123456789";
        builder.Services.AddSingleton<IDashboardStore, SyntheticStore>();
        builder.AddDashboardUi();
        var app = builder.Build();
        app.MapDashboardUi();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InMemoryTarget(app, new Uri(url));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
