using Experiments.Core.Specs;
using Experiments.Dashboard.Components;
using Experiments.Dashboard.Security;
using Experiments.Dashboard.Ui.Checkpoints;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Export;
using Experiments.Dashboard.Ui.Links;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Submit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Experiments.Dashboard.Ui;

/// <summary>Registers and maps the Dashboard UI: pages, live feed, sign-in, downloads.</summary>
public static class DashboardUiRegistration
{
    /// <summary>Razor components (interactive server), sign-in and access (<see cref="AccessRegistration"/>) and the UI's services.</summary>
    public static IHostApplicationBuilder AddDashboardUi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();

        services.AddDashboardAccess();

        services.TryAddSingleton<IDashboardStore, DashboardStore>();
        services.TryAddSingleton(new SweepLimits());
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<StoreReachability>();
        services.AddHostedService(sp => sp.GetRequiredService<StoreReachability>());
        services.AddSingleton<SweepSubmission>();
        services.AddSingleton<SweepDeletion>();
        services.AddSingleton<ImportanceCache>();
        services.AddSingleton<TraceLinks>();
        services.AddSingleton<CheckpointList>();
        return builder;
    }

    /// <summary>Auth and antiforgery middleware, static assets, sign-in, downloads, and the pages (all behind sign-in).</summary>
    public static WebApplication MapDashboardUi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapSignIn();
        app.MapCheckpointDownloads();
        app.MapSweepExports();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization();
        return app;
    }
}
