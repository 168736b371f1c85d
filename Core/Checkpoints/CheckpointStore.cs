using Experiments.Core.Files;

namespace Experiments.Core.Checkpoints;

/// <summary>
/// Checkpoint files under one root folder: <c>&lt;root&gt;/&lt;trialId&gt;/&lt;name&gt;.ckpt</c>. Paths are built from
/// ids only (<see cref="CheckpointId"/>); anything else is rejected, so no caller can reach outside the root. Writes are
/// atomic (temp file in the same folder, flushed to disk, then renamed), so a reader never sees half a checkpoint.
/// Knows nothing about tensors: the dashboard lists and downloads with it too.
/// </summary>
public sealed class CheckpointStore
{
    public const string Extension = ".ckpt";

    /// <summary>Folder (under the root) holding PyTorch state dicts for <c>init_from</c>, as <c>&lt;id&gt;.pt</c>.</summary>
    public const string ImportsFolder = "imports";

    public CheckpointStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public IReadOnlyList<CheckpointFile> List(string trialId)
    {
        var folder = new DirectoryInfo(TrialFolder(trialId));
        if (!folder.Exists)
            return [];
        return [.. folder.EnumerateFiles("*" + Extension)
            .Select(f => new CheckpointFile(Path.GetFileNameWithoutExtension(f.Name), f.Length, f.LastWriteTimeUtc))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    public bool Exists(string trialId, string name) => File.Exists(FilePath(trialId, name));

    /// <exception cref="FileNotFoundException">No such checkpoint.</exception>
    public Stream OpenRead(string trialId, string name) =>
        new FileStream(FilePath(trialId, name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);

    /// <summary>Writes a checkpoint atomically: <paramref name="write"/> fills a temp file that replaces the old one only when complete.</summary>
    public void Write(string trialId, string name, Action<Stream> write) => WriteFile(FilePath(trialId, name), write);

    /// <summary>
    /// A trial's picture (<c>&lt;root&gt;/&lt;trialId&gt;/&lt;name&gt;.png</c>, e.g. the first augmented batch), written like a
    /// checkpoint, deleted with the trial; not a checkpoint, so <see cref="List"/> leaves it out.
    /// </summary>
    public void WriteImage(string trialId, string name, byte[] png) => WriteFile(ImagePath(trialId, name), s => s.Write(png));

    public bool ImageExists(string trialId, string name) => File.Exists(ImagePath(trialId, name));

    /// <exception cref="FileNotFoundException">No such image.</exception>
    public Stream OpenImage(string trialId, string name) =>
        new FileStream(ImagePath(trialId, name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);

    private static void WriteFile(string target, Action<Stream> write)
    {
        string folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        // Named after this process, so a cleaner can tell a crashed write's leftover from one in progress.
        string temp = Path.Combine(folder, ScratchName.For(Path.GetFileName(target), ScratchName.TemporaryKind));
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public bool Delete(string trialId, string name)
    {
        string path = FilePath(trialId, name);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Removes every checkpoint of a trial; false when some file could not be removed (e.g. a worker on another
    /// machine wrote into the folder meanwhile): the caller tries again later.
    /// </summary>
    public bool DeleteTrial(string trialId)
    {
        string folder = TrialFolder(trialId);
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return !Directory.Exists(folder);
        }
    }

    /// <summary>The ids of trials that have a folder under the root (whatever is in it).</summary>
    public IReadOnlyList<string> TrialIds()
    {
        var root = new DirectoryInfo(Root);
        if (!root.Exists)
            return [];
        return [.. root.EnumerateDirectories()
            .Select(d => d.Name)
            .Where(name => CheckpointId.IsValid(name) && name != ImportsFolder)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The path of an imported PyTorch state dict, <c>&lt;root&gt;/imports/&lt;id&gt;.pt</c>.</summary>
    public string ImportPath(string id) => Resolve(ImportsFolder, Checked(id, nameof(id)) + ".pt");

    private string TrialFolder(string trialId) => Resolve(Checked(trialId, nameof(trialId)));

    private string FilePath(string trialId, string name) =>
        Resolve(Checked(trialId, nameof(trialId)), Checked(name, nameof(name)) + Extension);

    private string ImagePath(string trialId, string name) =>
        Resolve(Checked(trialId, nameof(trialId)), Checked(name, nameof(name)) + ".png");

    private string Resolve(params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([Root, .. parts]));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Checkpoint path escapes the checkpoint root.", nameof(parts));
        return path;
    }

    private static string Checked(string id, string parameter) =>
        CheckpointId.IsValid(id) ? id : throw new ArgumentException($"'{id}' {CheckpointId.Rule}.", parameter);
}
