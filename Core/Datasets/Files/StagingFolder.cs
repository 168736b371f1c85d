using Experiments.Core.Files;

namespace Experiments.Core.Datasets.Files;

/// <summary>
/// A hidden folder beside a target, filled first and then renamed (same file system, so atomic); whatever is still in
/// it on dispose is deleted, so a failed or cancelled step leaves nothing behind.
/// </summary>
internal sealed class StagingFolder : IDisposable
{
    private StagingFolder(string path) => Path = path;

    public string Path { get; }

    public static StagingFolder Beside(string target)
    {
        var parent = System.IO.Path.GetDirectoryName(target)!;
        var path = System.IO.Path.Combine(parent, ScratchName.For(System.IO.Path.GetFileName(target), ScratchName.PartialKind));
        Directory.CreateDirectory(path);
        return new StagingFolder(path);
    }

    /// <summary>Renames <paramref name="source"/> to <paramref name="target"/>; false when the target already exists (another worker was first).</summary>
    public static bool TryMoveFolder(string source, string target)
    {
        try
        {
            Directory.Move(source, target);
            return true;
        }
        catch (IOException) when (Directory.Exists(target))
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
                Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: hidden .partial folders are never read as data.
        }
    }
}
