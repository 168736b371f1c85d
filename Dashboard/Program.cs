using Experiments.Dashboard;
using Experiments.Dashboard.Api;
using Experiments.Dashboard.Ui;
using Experiments.Core;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTrialStore();
builder.AddCheckpointDownloads();
builder.AddSweepApi();
builder.AddDashboardUi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapSweepApi();
app.MapDashboardUi();
app.Run();
