using System.Diagnostics;

namespace Experiments.AppHost.Store;

/// <summary>
/// Asks Docker or Podman whether an engine answers. Without one, a container resource never starts and
/// everything waiting for it hangs forever, so the AppHost fails fast instead.
/// </summary>
internal static class ContainerRuntimeProbe
{
    public static string? FindRunningRuntime()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (process is null)
                {
                    continue;
                }

                process.StandardOutput.ReadToEndAsync();
                process.StandardError.ReadToEndAsync();
                if (process.WaitForExit(TimeSpan.FromSeconds(15)) && process.ExitCode == 0)
                {
                    return runtime;
                }

                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next runtime.
            }
        }

        return null;
    }
}
