namespace Experiments.Browser.Tests;

/// <summary>
/// A test that drives Chromium: skipped with the reason when <c>/usr/bin/chromium</c> is missing, unless
/// <c>EXPERIMENTS_REQUIRE_EXTERNALS=1</c>, in which case it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.IsRequired)
        {
            Skip = $"{Chromium.ExecutablePath} is missing (apt-get install -y chromium); set {Chromium.RequireExternalsVariable}=1 to fail instead.";
        }
    }
}
