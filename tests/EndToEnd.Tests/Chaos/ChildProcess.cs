using System.Diagnostics;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>A real child process (a built .dll run by dotnet) whose output goes to a log file; killed with SIGKILL.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = "";

    /// <param name="launcher">
    /// A command that runs dotnet for us by exec (e.g. <c>ip netns exec NAME</c>, which enters a network namespace
    /// and then execs), so the process started is the dotnet process itself and SIGKILL reaches it.
    /// </param>
    public static ChildProcess Start(string assemblyPath, IReadOnlyDictionary<string, string> environment, string logPath, IReadOnlyList<string>? launcher = null)
    {
        IReadOnlyList<string> command = [.. launcher ?? [], "dotnet", assemblyPath];
        var info = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {assemblyPath}.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, log) { LogPath = logPath };
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly like a crash or an OOM kill.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>
    /// SIGSTOP: every thread freezes at once (a VM paused, a laptop lid closed, a swap storm) until <see cref="Resume"/>;
    /// so do the processes it started (a worker's trainer child), as they would on a paused machine. The process first,
    /// so it starts no other meanwhile.
    /// </summary>
    public void Pause()
    {
        Signal("-STOP", [Id]);
        Signal("-STOP", Descendants(Id));
    }

    /// <summary>SIGCONT after <see cref="Pause"/>: the processes carry on exactly where they stood, unaware of the gap.</summary>
    public void Resume() => Signal("-CONT", [.. Descendants(Id), Id]);

    private static void Signal(string signal, IReadOnlyList<int> processIds)
    {
        if (processIds.Count == 0)
        {
            return;
        }

        var ids = processIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        using var kill = Process.Start("kill", [signal, .. ids]);
        kill.WaitForExit();
        if (kill.ExitCode != 0 && processIds.Count == 1)
        {
            throw new InvalidOperationException($"kill {signal} {ids[0]} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Every process below <paramref name="processId"/>, from the kernel's per-thread child lists.</summary>
    private static List<int> Descendants(int processId)
    {
        List<int> found = [];
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var id = int.Parse(child, System.Globalization.CultureInfo.InvariantCulture);
                    found.Add(id);
                    found.AddRange(Descendants(id));
                }
            }
        }
        catch (IOException)
        {
            // Gone meanwhile.
        }

        return found;
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
