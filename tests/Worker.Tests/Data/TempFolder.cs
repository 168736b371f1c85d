namespace Experiments.Worker.Tests.Data;

/// <summary>A fresh folder under the system temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("experiments-data-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Every file and folder below, relative to this folder, to assert that nothing was left behind.</summary>
    public IReadOnlyList<string> Entries(string? below = null) =>
        Directory.Exists(below ?? Path)
            ? Directory.EnumerateFileSystemEntries(below ?? Path, "*", SearchOption.AllDirectories)
                .Select(entry => System.IO.Path.GetRelativePath(Path, entry)).Order().ToList()
            : [];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
