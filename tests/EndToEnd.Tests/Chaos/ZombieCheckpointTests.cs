using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Core.Tests.Fixtures;
using Experiments.Dashboard;
using Experiments.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Fenced checkpoint files with real processes and real signals: a worker frozen with SIGSTOP in the middle of writing
/// a checkpoint, its trial reaped and claimed by another worker, then woken with SIGCONT, finishes that write. Nothing
/// it does changes the files the new attempt resumes from, the trial's record, or the bytes the Dashboard serves; its
/// worker removes the file once it finds its lease gone.
/// </summary>
// Slow: two real worker processes train a trial; each writes ResNet-34 checkpoints.
[Trait("Category", "Slow")]
public sealed class ZombieCheckpointTests(ITestOutputHelper output) : OwnStoreAndFolder<GarnetServerFixture>("experiments-zombie-")
{
    private const string ApiKey = "zombie-checkpoint-test-api-key-0123456789";
    private const int Epochs = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    private string CheckpointRoot => Path.Combine(WorkDirectory, "checkpoints");

    [SkippableFact]
    public async Task AWorkerPausedMidCheckpointAndWokenAfterItsTrialWasClaimedAgainChangesNothingTheNewAttemptReadsOrTheDashboardServes()
    {
        Skip.If(Store.UnavailableReason is not null, Store.UnavailableReason);
        var store = new SweepStore(Store.Connection, new StoreOptions { MaxAttempts = 10 }, TimeProvider.System);
        // Checkpoints are ResNet-34's with Adam (~255 MB): each write takes long enough to be caught in the middle.
        var plan = SyntheticSweeps.Plan("zombie", trials: 1, epochs: Epochs, checkpoint: KeptCheckpoints.BestLast);
        var trialId = (await store.SubmitAsync(plan, traceParent: null)).TrialIds[0];
        var folder = Directory.CreateDirectory(Path.Combine(CheckpointRoot, trialId)).FullName;
        await using var dashboard = await StartDashboardAsync();
        var address = dashboard.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        using var fleet = new WorkerFleet(Store.ConnectionString, WorkDirectory, maxAttempts: 10);

        // Everything that happens to the trial's files, as it happens.
        var events = new ConcurrentQueue<(long At, string Kind, string Name)>();
        var clock = Stopwatch.StartNew();
        using var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = false };
        ChildProcess? zombie = null;
        var armed = 0;
        var caught = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, e) =>
        {
            events.Enqueue((clock.ElapsedMilliseconds, "created", e.Name!));
            // Frozen the moment it starts writing a checkpoint of its own: the write is cut in two by the pause.
            if (AttemptOneScratch(e.Name!) is { Epoch: >= 2 } && Interlocked.Exchange(ref armed, 0) == 1)
            {
                zombie!.Pause();
                caught.TrySetResult(e.Name!);
            }
        };
        watcher.Renamed += (_, e) => events.Enqueue((clock.ElapsedMilliseconds, "renamed", e.Name!));
        watcher.Deleted += (_, e) => events.Enqueue((clock.ElapsedMilliseconds, "deleted", e.Name!));
        watcher.EnableRaisingEvents = true;

        // 1. Worker A trains; it is frozen while it writes a checkpoint no commit names yet (its epoch's report not sent).
        // A lease of 10 s: renewals late on a loaded machine do not lose it before the pause; B waits that long to reap it.
        zombie = fleet.StartOne(new Dictionary<string, string> { ["Store__LeaseDuration"] = "00:00:10" });
        string written;
        TrialRecord atPause;
        for (var tries = 1; ; tries++)
        {
            caught = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref armed, 1);
            var scratch = await caught.Task.WaitAsync(Timeout);
            written = AttemptOneScratch(scratch)!.Value.File;
            atPause = (await store.GetTrialAsync(trialId))!;
            if (File.Exists(Path.Combine(folder, scratch)) && atPause.Checkpoints.Last != written && atPause.Attempt == 1 && atPause.LastEpoch >= 1)
            {
                output.WriteLine($"{clock.Elapsed:mm\\:ss} SIGSTOP worker {zombie.Id} while it writes {written}; committed: {atPause.Checkpoints}, epoch {atPause.LastEpoch}");
                break;
            }

            // The pause came after the write (a very busy machine): let it go on and catch its next epoch instead.
            Assert.True(tries < Epochs - 2, $"Never caught worker A mid-write; last try {scratch} with {atPause.Checkpoints}.");
            zombie.Resume();
        }

        // 2. Worker B (a lease long enough to be frozen itself below) reaps A's lapsed lease and claims the trial.
        var current = fleet.StartOne(new Dictionary<string, string> { ["Store__LeaseDuration"] = "00:05:00" });
        await Eventually.UntilAsync(
            () => store.GetTrialAsync(trialId), t => t is { Attempt: 2, Status: TrialStatus.Running }, "worker B to reap and claim the trial", Timeout, TimeSpan.FromMilliseconds(100));
        // B is frozen too, so that nothing but A can change anything while A is awake: what changes is A's doing.
        current.Pause();
        var before = await SnapshotAsync(store, client, trialId);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} SIGSTOP worker {current.Id} holding attempt 2; committed {before.Committed}, epoch {before.LastEpoch}");
        Assert.NotEmpty(before.Files);
        Assert.NotEmpty(before.Served);

        // 3. A wakes: it finishes its write (its own file name), and its report is refused by the fence.
        var wokeAt = clock.ElapsedMilliseconds;
        zombie.Resume();
        output.WriteLine($"{clock.Elapsed:mm\\:ss} SIGCONT worker {zombie.Id}");
        await Eventually.UntilAsync(
            () => events.Any(e => e.At >= wokeAt && e.Kind == "renamed" && e.Name == written + CheckpointStore.Extension),
            $"the woken worker to finish writing {written}", Timeout);
        // Its report refused, its worker takes back the file no commit names (B is still frozen: nobody else could).
        await Eventually.UntilAsync(
            () => !File.Exists(Path.Combine(folder, written + CheckpointStore.Extension)), $"the woken worker to remove {written}", Timeout);
        // Logged just after (the console logger writes from a queue of its own).
        await Eventually.UntilAsync(
            () => ReadLog(zombie).Contains($"Trial {trialId} attempt 1 lost its lease; removed the checkpoint files it wrote that no commit names: {written}", StringComparison.Ordinal),
            "the woken worker to log the removal", Timeout);

        var after = await SnapshotAsync(store, client, trialId);
        Assert.Equal(before.Committed, after.Committed);
        Assert.Equal(before.LastEpoch, after.LastEpoch);
        Assert.Equal(before.Files, after.Files);
        Assert.Equal(before.Served, after.Served);

        // 4. B carries on from exactly what A had committed, and finishes the trial; A's file is gone.
        current.Resume();
        var done = await Eventually.UntilAsync(
            () => store.GetTrialAsync(trialId), t => t?.Status is not (TrialStatus.Queued or TrialStatus.Running), "the trial to finish", Timeout, TimeSpan.FromSeconds(1));
        output.WriteLine($"{clock.Elapsed:mm\\:ss} trial {done!.Status}: " + string.Join(", ", events.Select(e => $"{e.At} {e.Kind} {e.Name}")));
        Assert.Equal(TrialStatus.Completed, done.Status);
        Assert.Equal(Enumerable.Range(1, Epochs), (await store.GetEpochsAsync(trialId)).Select(e => e.Epoch));
        Assert.Equal(["LeaseExpired", "Completed"], done.Attempts.Select(a => a.Outcome));
        Assert.Contains($"Trial {trialId} resumed after epoch {atPause.LastEpoch}", ReadLog(current), StringComparison.Ordinal);
        var kept = new[] { done.Checkpoints.Best, done.Checkpoints.Last }.OfType<string>().Select(n => n + CheckpointStore.Extension).Distinct().Order(StringComparer.Ordinal).ToArray();
        await Eventually.UntilAsync(
            () => Directory.EnumerateFiles(folder, "*" + CheckpointStore.Extension).Select(Path.GetFileName).Order(StringComparer.Ordinal).SequenceEqual(kept),
            $"only the committed {string.Join(", ", kept)} to be left", Timeout);
        Assert.DoesNotContain(Directory.EnumerateFiles(folder), f => AttemptOneScratch(Path.GetFileName(f)) is not null);
    }

    /// <summary>What the new attempt reads and the Dashboard serves: the record's commit, the files' hashes, the downloads' hashes.</summary>
    private async Task<Snapshot> SnapshotAsync(SweepStore store, HttpClient client, string trialId)
    {
        var record = (await store.GetTrialAsync(trialId))!;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var served = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, file) in TrialCheckpoints.Offered(record))
        {
            await using (var stored = File.OpenRead(Path.Combine(CheckpointRoot, trialId, file + CheckpointStore.Extension)))
            {
                files[file] = Convert.ToHexString(await SHA256.HashDataAsync(stored));
            }

            using var response = await client.GetAsync($"/checkpoints/{trialId}/{name}", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            served[name] = Convert.ToHexString(await SHA256.HashDataAsync(body));
        }

        return new Snapshot(record.Checkpoints, record.LastEpoch, [.. files], [.. served]);
    }

    private static string ReadLog(ChildProcess worker)
    {
        using var stream = new FileStream(worker.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The checkpoint a scratch file of attempt 1 becomes (<c>.e3-a1.ckpt.&lt;host&gt;.&lt;pid&gt;.&lt;random&gt;.tmp</c>), or null.</summary>
    private static (string File, int Epoch)? AttemptOneScratch(string name)
    {
        var end = name.IndexOf(CheckpointStore.Extension + ".", StringComparison.Ordinal);
        if (!name.StartsWith('.') || end < 2)
        {
            return null;
        }

        var file = name[1..end];
        return TrialCheckpoints.TryParse(file, out var attempt, out var epoch) && attempt == 1 ? (file, epoch) : null;
    }

    private protected override GarnetServerFixture CreateStore() => new();

    private async Task<WebApplication> StartDashboardAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Experiments.Dashboard",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:store", Store.ConnectionString),
            new("Api:Key", ApiKey),
            new("Dashboard:BrowserToken", ApiKey + "-browser"),
            new("Checkpoints:Root", CheckpointRoot),
            new("Data:Root", Path.Combine(WorkDirectory, "datasets")),
        ]);
        builder.AddDashboard();
        var app = builder.Build();
        app.MapDashboard();
        await app.StartAsync();
        return app;
    }

    private sealed record Snapshot(TrialCheckpoints Committed, int LastEpoch, KeyValuePair<string, string>[] Files, KeyValuePair<string, string>[] Served);
}
