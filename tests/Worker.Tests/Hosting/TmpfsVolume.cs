using System.Diagnostics;

namespace Experiments.Worker.Tests.Hosting;

/// <summary>
/// A small real file system (tmpfs) mounted on a temporary folder, to run a worker on a volume that is really
/// nearly full. Needs root (CI runs as root); elsewhere <see cref="TryMount"/> says why it could not.
/// </summary>
internal sealed class TmpfsVolume : IDisposable
{
    private TmpfsVolume(string path) => Path = path;

    public string Path { get; }

    public static TmpfsVolume? TryMount(string size, out string? whyNot)
    {
        var path = Directory.CreateTempSubdirectory("tmpfs-").FullName;
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (exitCode == 0)
        {
            whyNot = null;
            return new TmpfsVolume(path);
        }

        Directory.Delete(path);
        whyNot = $"cannot mount a tmpfs here (needs root): {output.Trim()}";
        return null;
    }

    /// <summary>Grows or shrinks the volume in place, as freeing space on a real disk would.</summary>
    public void Resize(string size)
    {
        var (exitCode, output) = Run("mount", "-o", $"remount,size={size}", Path);
        if (exitCode != 0)
            throw new InvalidOperationException($"remount {Path} failed: {output}");
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
