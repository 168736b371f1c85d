using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Experiments.Tests.Shared;

/// <summary>
/// The real operating-system process behind an AppHost resource, so a test can send it a real signal. DCP runs a
/// project as <c>dotnet run</c>, whose child is the service itself: the resource's <c>executable.pid</c> is the
/// launcher, and the process to kill is its descendant running the service's own executable.
/// </summary>
internal static class ResourceProcesses
{
    /// <summary>The resource's current instance once it is running with a launcher pid: (resource id, launcher pid).</summary>
    public static async Task<(string ResourceId, int LauncherPid)> RunningAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(
            resourceName,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && LauncherPid(e) is not null,
            cancellationToken);
        return (running.ResourceId, LauncherPid(running)!.Value);
    }

    /// <summary>
    /// The service process under a launcher (the descendant whose executable is named <paramref name="executableName"/>),
    /// waiting for it: DCP reports Running as soon as <c>dotnet run</c> runs, before it has started the service.
    /// </summary>
    public static async Task<int> ServicePidAsync(int launcherPid, string executableName)
    {
        var pid = await Eventually.UntilAsync(
            () => Task.FromResult(FindServicePid(launcherPid, executableName) ?? 0),
            pid => pid != 0,
            $"a process named {executableName} under launcher {launcherPid}");
        return pid;
    }

    /// <summary>The service process under a launcher now, or null (not started yet, or gone).</summary>
    public static int? FindServicePid(int launcherPid, string executableName)
        => Descendants(launcherPid).Where(pid => IsRunning(pid, executableName)).Select(pid => (int?)pid).FirstOrDefault();

    /// <summary>Whether <paramref name="pid"/> is a live process running the executable named <paramref name="executableName"/>.</summary>
    public static bool IsRunning(int pid, string executableName) => Path.GetFileName(ExecutablePath(pid)) == executableName;

    /// <summary>The launcher pid of the resource instance in <paramref name="resource"/>, or null before it runs.</summary>
    public static int? LauncherPid(ResourceEvent resource) => LauncherPid(resource.Snapshot);

    /// <summary>The launcher pid in a resource snapshot, or null before it runs.</summary>
    public static int? LauncherPid(CustomResourceSnapshot snapshot)
        => snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => null,
        };

    /// <summary>SIGKILL (Process.Kill sends it on Linux): no shutdown hook runs, as in a crash or an OOM kill.</summary>
    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    private static string ExecutablePath(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = new List<int>();
        var tasks = $"/proc/{pid}/task";
        if (Directory.Exists(tasks))
        {
            foreach (var task in Directory.EnumerateDirectories(tasks))
            {
                try
                {
                    children.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
                catch (IOException)
                {
                    // The task ended while we looked.
                }
            }
        }

        foreach (var child in children)
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }
}
