using Experiments.Dashboard.Ui;
using Experiments.Dashboard.Ui.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Tests;

/// <summary>The Dashboard UI on a real Kestrel port over an in-memory store, the way the app wires it.</summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string Token = "test-browser-token-0123456789";

    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="keyDirectory">Where the cookie keys live; two hosts sharing it accept each other's cookies, like one Dashboard restarted.</param>
    public static async Task<DashboardHost> StartAsync(IDashboardStore store, string token = Token, string? keyDirectory = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Experiments.Dashboard",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection([new("Dashboard:BrowserToken", token)]);
        if (keyDirectory is not null)
        {
            builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keyDirectory)).SetApplicationName("Experiments.Dashboard");
        }

        builder.Services.AddSingleton(store);
        builder.AddDashboardUi();
        var app = builder.Build();
        app.MapDashboardUi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardHost(app, new Uri(address));
    }

    /// <summary>Changes the sign-in token as a reloaded configuration does, without a restart.</summary>
    public void ChangeToken(string token)
    {
        _app.Configuration["Dashboard:BrowserToken"] = token;
        ((IConfigurationRoot)_app.Configuration).Reload();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
