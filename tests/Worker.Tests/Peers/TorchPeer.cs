using System.Diagnostics;

namespace Experiments.Worker.Tests.Peers;

/// <summary>
/// Debian's python3-torch, python3-torchvision and python3-sklearn run as the real reference through /usr/bin/python3
/// (pyenv's python3 first on PATH has none of them). Tests needing them skip with the reason where they are missing,
/// unless EXPERIMENTS_REQUIRE_EXTERNALS=1 (CI) makes that a failure, as for the Optuna peer.
/// </summary>
internal static class TorchPeer
{
    private const string Python = "/usr/bin/python3";
    private const string RequireExternalsVariable = "EXPERIMENTS_REQUIRE_EXTERNALS";
    private const string Install = "apt-get install -y python3-torch python3-torchvision python3-sklearn";

    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Skips the calling test when the peer is missing and not required.</summary>
    public static void SkipUnlessAvailable()
    {
        if (Missing.Value is { } reason)
        {
            if (Environment.GetEnvironmentVariable(RequireExternalsVariable) == "1")
                throw new InvalidOperationException($"{reason} ({RequireExternalsVariable}=1 makes this a failure).");
            Skip.If(true, reason);
        }
    }

    /// <summary>Runs a script from the test output's Peers folder and returns what it printed on stdout.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Peers", script));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The comparison is single-process and small: two threads as everywhere else on this machine.
        start.Environment["OMP_NUM_THREADS"] = "2";

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
            return $"{Python} is missing ({Install})";
        try
        {
            using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, torchvision, sklearn"]) { RedirectStandardError = true })!;
            check.StandardError.ReadToEnd();
            check.WaitForExit();
            return check.ExitCode == 0 ? null : $"Debian's python3-torch, python3-torchvision and python3-sklearn are not all installed ({Install})";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot run: {e.Message}";
        }
    }
}
