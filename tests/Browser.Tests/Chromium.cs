namespace Experiments.Browser.Tests;

/// <summary>Debian's Chromium, which Playwright drives (its own browser download cannot work on these machines).</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Set by CI: a missing browser then fails the tests instead of skipping them.</summary>
    public const string RequireExternalsVariable = "EXPERIMENTS_REQUIRE_EXTERNALS";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireExternalsVariable) == "1";

    /// <summary>
    /// How long a navigation or an expected element may take. A page loads plotly (4.8 MB of script) and the
    /// machine trains beside the browser: on a loaded two-core machine a first load took over 30 s.
    /// </summary>
    public const float DefaultTimeoutMs = 90_000;

    /// <summary>Headless and quiet: no sandbox (containers lack the namespaces), no GPU, no calls home.</summary>
    public static IReadOnlyList<string> Arguments { get; } =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
}
