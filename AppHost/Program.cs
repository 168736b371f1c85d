using Experiments.AppHost;
using Experiments.AppHost.Store;

var builder = DistributedApplication.CreateBuilder(args);
var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
var checkpointRoot = Path.GetFullPath(builder.Configuration["Checkpoints:Root"] ?? Path.Combine(repositoryRoot, ".data", "checkpoints"), repositoryRoot);
var dataRoot = Path.Combine(repositoryRoot, "datasets");

// Infrastructure first: the store holds the queue and every record.
var store = builder.AddExperimentsStore("store", repositoryRoot);

// Secrets generated per run (set Parameters:api-key / Parameters:dashboard-token to fix them).
var apiKey = builder.AddParameter("api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
var browserToken = builder.AddParameter("dashboard-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

builder.AddWorkers(store, worker => worker
    .WithEnvironment("Training__CheckpointRoot", checkpointRoot)
    .WithEnvironment("Data__Root", dataRoot));

// The Dashboard also serves the HTTP API; it waits for the store so the first request never fails.
var dashboard = builder.AddProject<Projects.Dashboard>("dashboard")
    .WithStore(store)
    .WithEnvironment("Api__Key", apiKey)
    .WithEnvironment("Dashboard__BrowserToken", browserToken)
    .WithEnvironment("Dashboard__TraceUrlTemplate", AspireDashboardLinks.TraceUrlTemplate(builder.Configuration))
    .WithEnvironment("Checkpoints__Root", checkpointRoot);

builder.AnnounceAccess(apiKey, browserToken, dashboard);
builder.Build().Run();
