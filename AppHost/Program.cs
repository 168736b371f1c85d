using Experiments.AppHost;
using Experiments.AppHost.Store;
using Experiments.AppHost.Supervision;

var builder = DistributedApplication.CreateBuilder(args);
var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
var checkpointRoot = Path.GetFullPath(builder.Configuration[ServiceSettings.CheckpointRoot] ?? Path.Combine(repositoryRoot, ".data", "checkpoints"), repositoryRoot);
var dataRoot = Path.Combine(repositoryRoot, "datasets");

// Infrastructure first: the store holds the queue and every record.
var store = builder.AddExperimentsStore(ServiceSettings.StoreConnection, repositoryRoot);

// Aspire has no restart policy: the store, the workers and the Dashboard come back by themselves after a crash.
builder.AddCrashRestarts();

// Secrets generated per run (set Parameters:api-key / Parameters:dashboard-token to fix them).
var apiKey = builder.AddParameter("api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
var browserToken = builder.AddParameter("dashboard-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

builder.AddWorkers(store, worker => worker
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.CheckpointRoot), checkpointRoot)
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.DataRoot), dataRoot));

// The Dashboard also serves the HTTP API; it waits for the store so the first request never fails.
var dashboard = builder.AddProject<Projects.Dashboard>("dashboard")
    .WithStore(store)
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.ApiKey), apiKey)
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.DashboardToken), browserToken)
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.TraceUrlTemplate), AspireDashboardLinks.TraceUrlTemplate(builder.Configuration))
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.CheckpointRoot), checkpointRoot)
    .WithEnvironment(ServiceSettings.Environment(ServiceSettings.DataRoot), dataRoot)
    .WithRestartOnCrash();

builder.AnnounceAccess(apiKey, browserToken, dashboard);
builder.Build().Run();
