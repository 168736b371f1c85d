namespace Experiments.Worker.Tests.Data;

/// <summary>
/// A fact that needs Debian's dataset-fashion-mnist package: skipped when it is absent, unless
/// EXPERIMENTS_REQUIRE_EXTERNALS=1 demands it (then the test runs and fails).
/// </summary>
public sealed class RequiresFashionMnistFactAttribute : FactAttribute
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public RequiresFashionMnistFactAttribute()
    {
        if (!Directory.Exists(Folder) && Environment.GetEnvironmentVariable("EXPERIMENTS_REQUIRE_EXTERNALS") != "1")
            Skip = $"{Folder} is absent: apt-get install -y dataset-fashion-mnist to run this test";
    }
}
