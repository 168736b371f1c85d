using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Experiments.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace Experiments.EndToEnd.Tests.Secrets;

/// <summary>
/// The API key, the Dashboard token and the store password never appear in a log line (the AppHost's one announced
/// line aside) nor on any process's command line, through a whole run: start, sign-in, API calls, a trained sweep.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SecretsTests
{
    private const string ApiKey = "secrets-test-api-key-0123456789abcdef";
    private const string Token = "secrets-test-dashboard-token-0123456789";
    private const string StorePassword = "secretsteststorepassword0123456789";

    [Fact]
    public async Task NoSecretAppearsInAnyLogLineOrCommandLineOfAFullRun()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("experiments-secrets-").FullName;
        using var logs = new RunLogs();
        try
        {
            await using var app = await StartAsync(dataDirectory, logs, []);
            using var client = app.CreateHttpClient("dashboard");
            // Generous: this class runs beside other AppHosts training on the same two cores.
            client.Timeout = TimeSpan.FromMinutes(3);

            // A sign-in through the announced link (the token in a query string), keyed API calls, a wrong key.
            using (var signIn = await client.GetAsync($"/account/signin?t={Token}"))
            {
                Assert.True(signIn.IsSuccessStatusCode || signIn.StatusCode == HttpStatusCode.Redirect, $"sign-in: {signIn.StatusCode}");
            }

            using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps"))
            {
                wrong.Headers.Add("X-Api-Key", ApiKey + "-wrong");
                using var refused = await client.SendAsync(wrong);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            var sweepId = await SubmitSmokeSweepAsync(client);
            await WaitUntilAsync(async () => (await TrialStatusesAsync(client, sweepId)).All(s => s is "completed" or "failed"), TimeSpan.FromMinutes(6));

            Assert.Empty(ProcessesWhoseCommandLineHolds(ApiKey, Token, StorePassword));
        }
        finally
        {
            IsolatedAppHost.DeleteDataDirectory(dataDirectory);
        }

        var lines = logs.Lines;
        // The capture saw the run: the announcement, and each service's own start-up lines.
        Assert.Contains(lines, l => l.Source == "Experiments.AppHost" && l.Text.Contains(Token, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Source.StartsWith("dashboard", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Source.StartsWith("worker", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Source.StartsWith("store-garnet", StringComparison.Ordinal));

        var leaks = lines
            .Where(l => !(l.Source == "Experiments.AppHost" && l.Text.StartsWith("Experiments Dashboard:", StringComparison.Ordinal)))
            .Where(l => new[] { ApiKey, Token, StorePassword }.Any(secret => l.Text.Contains(secret, StringComparison.Ordinal)))
            .Select(l => $"{l.Source}: {l.Text}")
            .ToList();
        Assert.True(leaks.Count == 0, "Secrets in the logs:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public async Task RedisServerModePassesThePasswordInAnOwnerOnlyConfigFileNotOnTheCommandLine()
    {
        // Process command lines are read from /proc.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (!File.Exists("/usr/bin/redis-server"))
        {
            Assert.True(Environment.GetEnvironmentVariable("EXPERIMENTS_REQUIRE_EXTERNALS") != "1", "redis-server is not installed and EXPERIMENTS_REQUIRE_EXTERNALS=1 requires it.");
            return;
        }

        var dataDirectory = Directory.CreateTempSubdirectory("experiments-secrets-redis-").FullName;
        using var logs = new RunLogs();
        try
        {
            await using var app = await StartAsync(dataDirectory, logs, ["--Store:Mode=redis-server", $"--Store:DataDirectory={Path.Combine(dataDirectory, "redis")}"]);
            using var client = app.CreateHttpClient("dashboard");
            client.Timeout = TimeSpan.FromMinutes(3);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
            request.Headers.Add("X-Api-Key", ApiKey);

            // The Dashboard reads the store with the password: the server took it from the file.
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var configFile = Path.Combine(dataDirectory, "redis", "redis-server.conf");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configFile));
            var config = await File.ReadAllTextAsync(configFile);
            Assert.Contains($"requirepass \"{StorePassword}\"", config, StringComparison.Ordinal);
            Assert.Contains("appendfsync always", config, StringComparison.Ordinal);
            // What the AppHost hands the process (DCP shows it in the Aspire dashboard too): the file, not the password.
            Assert.True(app.ResourceNotifications.TryGetCurrentState("store-redis", out var redis));
            var arguments = redis.Snapshot.Properties.Single(p => p.Name == "executable.args").Value;
            var argumentText = string.Join(" ", ((System.Collections.IEnumerable)arguments!).Cast<object>());
            Assert.Contains(configFile, argumentText, StringComparison.Ordinal);
            Assert.DoesNotContain(StorePassword, argumentText, StringComparison.Ordinal);
            Assert.Empty(ProcessesWhoseCommandLineHolds(StorePassword, ApiKey, Token));
        }
        finally
        {
            IsolatedAppHost.DeleteDataDirectory(dataDirectory);
        }

        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains(StorePassword, StringComparison.Ordinal));
    }

    private static async Task<DistributedApplication> StartAsync(string dataDirectory, RunLogs logs, string[] extra) =>
        await IsolatedAppHost.StartAsync(
            dataDirectory,
            ApiKey,
            [$"--Parameters:dashboard-token={Token}", $"--Parameters:store-password={StorePassword}", .. extra],
            logging: logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(logs),
            beforeStart: logs.Follow);

    /// <summary>Every process on the machine whose command line holds one of the values, as "pid: command line".</summary>
    private static List<string> ProcessesWhoseCommandLineHolds(params string[] values) =>
        [.. RunningCommandLines().Where(c => values.Any(v => c.Contains(v, StringComparison.Ordinal)))];

    private static IEnumerable<string> RunningCommandLines()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(folder);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            yield return $"{pid}: {commandLine}";
        }
    }

    private static async Task<string> SubmitSmokeSweepAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent(File.ReadAllText(RepositoryPaths.SweepFile("smoke.yaml")), Encoding.UTF8, "application/yaml"),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep_id").GetString()!;
    }

    private static async Task<List<string?>> TrialStatusesAsync(HttpClient client, string sweepId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sweeps/{sweepId}");
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await client.SendAsync(request);
        var sweep = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("status").GetString())];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Not done after {timeout}.");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
