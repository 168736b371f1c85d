using System.Diagnostics;

namespace Experiments.Tests.Shared;

/// <summary>
/// Debian's Python packages run as a real peer through /usr/bin/python3 (pyenv's python3, first on PATH, has none of
/// them). Tests needing a peer skip with the reason where it is missing, unless EXPERIMENTS_REQUIRE_EXTERNALS=1 (CI)
/// makes that a failure.
/// </summary>
/// <param name="scriptFolder">The test output subfolder the peer's scripts are copied to.</param>
/// <param name="imports">The Python modules the peer needs, as an import list.</param>
/// <param name="packages">The Debian packages that provide them, for the skip reason and the install hint.</param>
/// <param name="environment">Extra environment for each script run.</param>
internal sealed class DebianPython(string scriptFolder, string imports, string packages, IReadOnlyDictionary<string, string>? environment = null)
{
    private const string Python = "/usr/bin/python3";
    private const string RequireExternalsVariable = "EXPERIMENTS_REQUIRE_EXTERNALS";

    private readonly Lazy<string?> _missing = new(() => FindMissing(imports, packages));

    /// <summary>Skips the calling test when the peer is missing and not required.</summary>
    public void SkipUnlessAvailable()
    {
        if (_missing.Value is { } reason)
        {
            if (Environment.GetEnvironmentVariable(RequireExternalsVariable) == "1")
            {
                throw new InvalidOperationException($"{reason} ({RequireExternalsVariable}=1 makes this a failure).");
            }

            Skip.If(true, reason);
        }
    }

    /// <summary>Runs a script from the test output's script folder and returns what it printed on stdout.</summary>
    public string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, scriptFolder, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {error.Result}");
    }

    private static string? FindMissing(string imports, string packages)
    {
        var install = $"apt-get install -y {packages}";
        if (!File.Exists(Python))
        {
            return $"{Python} is missing ({install})";
        }

        try
        {
            using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import " + imports]) { RedirectStandardError = true })!;
            check.StandardError.ReadToEnd();
            check.WaitForExit();
            return check.ExitCode == 0 ? null : $"Debian's {packages} are not all installed ({install})";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot run: {e.Message}";
        }
    }
}
