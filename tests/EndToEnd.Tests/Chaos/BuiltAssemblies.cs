using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>The Worker build next to this test's own build (the AppHost reference builds it).</summary>
internal static class BuiltAssemblies
{
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Worker => Find("Worker", "Experiments.Worker.dll");

    private static string Find(string project, string assembly)
    {
        var path = Path.Combine(RepositoryPaths.Root, project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.", path);
    }
}
