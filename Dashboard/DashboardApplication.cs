using Experiments.Core;
using Experiments.Dashboard.Api;
using Experiments.Dashboard.Ui;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Images;

namespace Experiments.Dashboard;

/// <summary>The Dashboard process as <c>Program</c> builds it; tests build exactly the same app.</summary>
public static class DashboardApplication
{
    /// <summary>Service defaults, the store client, checkpoint downloads, the HTTP API and the UI.</summary>
    public static TBuilder AddDashboard<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDefaults();
        builder.AddTrialStore(configureClient: StoreUnavailable.ConfigureClient);
        builder.AddCheckpointDownloads();
        builder.AddDatasetImages();
        builder.AddSweepApi();
        builder.AddDashboardUi();
        return builder;
    }

    /// <summary>Error handling (problem details; 503 when the store is down), health, the API and the UI.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapDefaultEndpoints();
        app.MapSweepApi();
        app.MapDashboardUi();
        return app;
    }
}
