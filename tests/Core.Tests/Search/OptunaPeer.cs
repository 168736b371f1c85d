using System.Diagnostics;
using Experiments.Core.Tests.Fixtures;

namespace Experiments.Core.Tests.Search;

/// <summary>
/// Debian's python3-optuna (+ python3-sklearn) run as a real peer through /usr/bin/python3. Tests needing it skip
/// with the reason where it is missing, unless EXPERIMENTS_REQUIRE_EXTERNALS=1 (CI) makes that a failure.
/// </summary>
internal static class OptunaPeer
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Skips the calling test when the peer is missing and not required.</summary>
    public static void SkipUnlessAvailable()
    {
        if (Missing.Value is { } reason)
        {
            if (Environment.GetEnvironmentVariable(StoreServer.RequireExternalsVariable) == "1")
            {
                throw new InvalidOperationException($"{reason} ({StoreServer.RequireExternalsVariable}=1 makes this a failure).");
            }

            Skip.If(true, reason);
        }
    }

    /// <summary>Runs a script from the test output folder and returns what it printed.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Search", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {error.Result}");
    }

    private static string? FindMissing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (apt-get install -y python3-optuna python3-sklearn)";
        }

        try
        {
            using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import optuna, sklearn"]) { RedirectStandardError = true })!;
            check.StandardError.ReadToEnd();
            check.WaitForExit();
            return check.ExitCode == 0 ? null : "Debian's python3-optuna and python3-sklearn are not installed (apt-get install -y python3-optuna python3-sklearn)";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot run: {e.Message}";
        }
    }
}
