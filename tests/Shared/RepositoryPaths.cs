namespace Experiments.Tests.Shared;

/// <summary>Finds the repository from the test's output folder, so tests read the real sweep files.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SweepFile(string name) => Path.Combine(Root, "sweeps", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Experiments.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Experiments.sln above {AppContext.BaseDirectory}.");
    }
}
