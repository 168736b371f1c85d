using System.Text.RegularExpressions;
using Aspire.Hosting;
using Experiments.Core;
using Experiments.Core.Queue;
using Experiments.Dashboard;
using Experiments.GarnetStore;
using Experiments.Tests.Shared;
using Experiments.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.EndToEnd.Tests.Settings;

/// <summary>
/// One key per concept: every setting the AppHost gives a service (Worker, Dashboard, the embedded store) is a key
/// that service reads (and reads as given), every option a service requires is given by the AppHost (its start-up
/// validation passes on the AppHost's settings alone), and every key the READMEs name is read by the AppHost or a service.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class ServiceSettingsTests(ServiceSettingsTests.DefaultAppHost defaults) : IClassFixture<ServiceSettingsTests.DefaultAppHost>
{
    /// <summary>Set by Aspire and .NET for their own use (telemetry, URLs, service discovery, console format): not ours to bind.</summary>
    private static readonly string[] PlatformPrefixes =
        ["OTEL_", "ASPNETCORE_", "DOTNET_", "HTTP_PORTS", "HTTPS_PORTS", "ASPIRE_", "LOGGING__CONSOLE__", "services__"];

    /// <summary>Keys the AppHost itself reads (AppHost/Store/StoreSettings.cs, WorkerResourceExtensions.cs, Program.cs).</summary>
    private static readonly string[] AppHostKeys =
        ["Store:Mode", "Store:DataDirectory", "Store:RedisServerPath", "Store:BindAddress", "Store:Port", "Workers:Cpu", "Workers:CpuThreads", "Workers:Cuda", "Checkpoints:Root",
            // The AppHost binds its crash-restart section to these properties.
            .. typeof(Experiments.AppHost.Supervision.CrashRestartOptions).GetProperties().Select(p => $"{Experiments.AppHost.Supervision.CrashRestartOptions.SectionName}:{p.Name}")];

    [Fact]
    public void TheWorkerReadsEverySettingTheAppHostGivesItAndNeedsNoOther()
    {
        var environment = defaults.Worker;

        using var worker = BuildWorker(environment);

        AssertEverySettingIsRead("worker", environment, worker);
        worker.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Contains("Checkpoints__Root", environment.Keys);
    }

    [Fact]
    public void TheDashboardReadsEverySettingTheAppHostGivesItAndNeedsNoOther()
    {
        var environment = defaults.Dashboard;

        using var dashboard = BuildDashboard(environment);

        AssertEverySettingIsRead("dashboard", environment, dashboard);
        dashboard.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Contains("Checkpoints__Root", environment.Keys);
        Assert.Contains("Api__Key", environment.Keys);
    }

    [Fact]
    public void TheEmbeddedStoreReadsEverySettingTheAppHostGivesIt()
    {
        var environment = defaults.Store;
        string[] read = [GarnetArguments.PortVariable, GarnetArguments.PasswordVariable, GarnetArguments.DataDirectoryVariable, GarnetArguments.BindVariable];

        var ours = environment.Keys.Where(name => !PlatformPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(ours.All(read.Contains), $"The store host reads {string.Join(", ", read)}; the AppHost gives it {string.Join(", ", ours)}.");
        var arguments = GarnetArguments.Parse([], name => environment.GetValueOrDefault(name) is { } value && value != ServiceEnvironment.UnresolvedPlaceholder ? value : null, "/");
        Assert.Equal(environment[GarnetArguments.PasswordVariable], arguments.Password);
        Assert.Equal(environment[GarnetArguments.DataDirectoryVariable], arguments.DataDirectory);
        Assert.Contains(GarnetArguments.PortVariable, ours);
    }

    [Fact]
    public async Task BothServicesGetTheWorkerAndDashboardCheckpointRootAndQueueSettingsAlike()
    {
        await using var app = await ServiceEnvironment.BuildAppHostAsync(
            "--Store:MaxAttempts=5", "--Store:LeaseDuration=00:01:30", "--Store:KeyPrefix=team-a:", "--Checkpoints:Root=/srv/shared/checkpoints");
        using var worker = BuildWorker(await ServiceEnvironment.OfAsync(app, "worker"));
        using var dashboard = BuildDashboard(await ServiceEnvironment.OfAsync(app, "dashboard"));

        foreach (var service in new[] { worker, dashboard })
        {
            var store = service.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
            Assert.Equal(5, store.MaxAttempts);
            Assert.Equal(TimeSpan.FromSeconds(90), store.LeaseDuration);
            Assert.Equal("team-a:", store.KeyPrefix);
            Assert.Equal("/srv/shared/checkpoints", service.Read("Checkpoints:Root")!.Value.Value);
        }
    }

    [Fact]
    public void ASettingNoOptionReadsIsCaught()
    {
        // The old README told remote workers to set this, while the Worker read Training:CheckpointRoot.
        Dictionary<string, string> environment = new() { ["Training__CheckpointRoot"] = "/srv/checkpoints", ["Worker__Device"] = "cpu" };
        using var worker = BuildWorker(environment);

        var error = Assert.ThrowsAny<Exception>(() => AssertEverySettingIsRead("worker", environment, worker));

        Assert.Contains("Training__CheckpointRoot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryKeyTheReadmesNameIsReadByTheAppHostOrAService()
    {
        var readmes = new[] { "README.md", Path.Combine("Worker", "Training", "README.md") }
            .Select(file => File.ReadAllText(Path.Combine(RepositoryPaths.Root, file)));
        var keys = readmes.SelectMany(text => ReadmeKey().Matches(text)).Select(m => m.Groups["key"].Value.Replace("__", ":", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Contains("Checkpoints:Root", keys);

        using var worker = BuildWorker(defaults.Worker);
        using var dashboard = BuildDashboard(defaults.Dashboard);
        var unread = keys
            .Where(key => !key.StartsWith("Parameters:", StringComparison.Ordinal) && !key.StartsWith("ConnectionStrings:", StringComparison.Ordinal))
            .Where(key => !AppHostKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && !key.EndsWith(":*", StringComparison.Ordinal))
            .Where(key => worker.Read(key) is null && dashboard.Read(key) is null)
            .ToList();

        Assert.True(unread.Count == 0, $"The READMEs name keys nothing reads: {string.Join(", ", unread)}");
    }

    private static void AssertEverySettingIsRead(string service, IReadOnlyDictionary<string, string> environment, ServiceOptions options)
    {
        var problems = new List<string>();
        foreach (var (name, value) in environment)
        {
            if (PlatformPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var key = name.Replace("__", ":", StringComparison.Ordinal);
            if (key.StartsWith("ConnectionStrings:", StringComparison.Ordinal))
            {
                if (key != $"ConnectionStrings:{StoreRegistration.ConnectionName}")
                {
                    problems.Add($"{name}: the services read only the connection string '{StoreRegistration.ConnectionName}'.");
                }

                continue;
            }

            if (options.Read(key) is not { } read)
            {
                problems.Add($"{name}: the {service} has no option that reads '{key}' (it binds {string.Join(", ", options.OptionTypes.Select(t => t.Name))}).");
            }
            else if (value != ServiceEnvironment.UnresolvedPlaceholder && !ServiceOptions.Same(read.Property, read.Value, value))
            {
                problems.Add($"{name}: the {service} read '{read.Value}' where the AppHost gave '{value}'.");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static ServiceOptions BuildWorker(IReadOnlyDictionary<string, string> environment)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", ApplicationName = "Experiments.Worker" });
        builder.Configuration.AddInMemoryCollection(AsConfiguration(environment));
        builder.AddWorker();
        return new ServiceOptions(builder, builder.Build());
    }

    private static ServiceOptions BuildDashboard(IReadOnlyDictionary<string, string> environment)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = "Experiments.Dashboard",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Configuration.AddInMemoryCollection(AsConfiguration(environment));
        builder.AddDashboard();
        return new ServiceOptions(builder, builder.Build());
    }

    /// <summary>Environment variables as .NET configuration reads them (<c>__</c> is the section separator).</summary>
    private static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(IReadOnlyDictionary<string, string> environment) =>
        environment.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal),
            e.Value == ServiceEnvironment.UnresolvedPlaceholder && e.Key.StartsWith("ConnectionStrings", StringComparison.Ordinal) ? "localhost:1,password=x" : e.Value));

    /// <summary>A configuration key in a README: <c>`Section:Key`</c> or <c>Section__Key</c>, capitalised like ours.</summary>
    [GeneratedRegex(@"(?<![\w-])(?<key>[A-Z][A-Za-z]+(?::|__)(?:[A-Z][A-Za-z]+|\*|[a-z]+(?:-[a-z]+)+))(?![\w:])")]
    private static partial Regex ReadmeKey();

    /// <summary>What the AppHost with its default settings gives the worker and the Dashboard (built once: ~10 s).</summary>
    public sealed class DefaultAppHost : IAsyncLifetime
    {
        public IReadOnlyDictionary<string, string> Worker { get; private set; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Dashboard { get; private set; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Store { get; private set; } = new Dictionary<string, string>();

        public async Task InitializeAsync()
        {
            await using var app = await ServiceEnvironment.BuildAppHostAsync();
            Worker = await ServiceEnvironment.OfAsync(app, "worker");
            Dashboard = await ServiceEnvironment.OfAsync(app, "dashboard");
            Store = await ServiceEnvironment.OfAsync(app, "store-garnet");
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
