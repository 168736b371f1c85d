using Experiments.Dashboard.Api;
using Experiments.Sweeps;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTrialStore();
builder.AddSweepApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapSweepApi();
app.Run();
