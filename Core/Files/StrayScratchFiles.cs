using System.Diagnostics;

namespace Experiments.Core.Files;

/// <summary>
/// Finds and removes scratch files (<see cref="ScratchName"/>) that their writer left behind when it was killed
/// mid-write. Safe on a folder shared with other machines, where another worker may be writing one right now: an
/// entry is stray only when its writer is a process of this machine that no longer runs, or when nothing has
/// written to it for <c>staleAfter</c> (a live writer keeps touching it; a long threshold absorbs clock skew
/// between machines).
/// </summary>
public sealed class StrayScratchFiles(TimeSpan staleAfter, TimeProvider time)
{
    public TimeSpan StaleAfter { get; } = staleAfter;

    public bool IsStray(FileSystemInfo entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!ScratchName.IsScratch(entry.Name))
        {
            return false;
        }

        if (ScratchName.OwnerOf(entry.Name) is { } owner && owner.Host == ScratchName.Host && !IsRunning(owner.ProcessId))
        {
            return true;
        }

        return time.GetUtcNow() - LastWritten(entry) > StaleAfter;
    }

    /// <summary>Removes stray scratch entries up to <paramref name="depth"/> folders below <paramref name="root"/>; returns their paths.</summary>
    public IReadOnlyList<string> RemoveUnder(string root, int depth)
    {
        var folder = new DirectoryInfo(root);
        if (!folder.Exists)
        {
            return [];
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = depth > 0,
            MaxRecursionDepth = depth,
            IgnoreInaccessible = true,
            // Dot-files count as hidden on Unix; they are exactly what this looks for.
            AttributesToSkip = FileAttributes.None,
        };
        var candidates = folder.EnumerateFileSystemInfos(".*", options).Where(e => ScratchName.IsScratch(e.Name)).ToList();
        List<string> removed = [];
        foreach (var entry in candidates)
        {
            try
            {
                entry.Refresh();
                if (!entry.Exists || !IsStray(entry))
                {
                    continue;
                }

                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                removed.Add(entry.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or still in use: the next pass looks again.
            }
        }

        return removed;
    }

    private static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A folder is as recent as the newest thing in it: files written inside do not touch the folder's time.</summary>
    private static DateTimeOffset LastWritten(FileSystemInfo entry)
    {
        DateTimeOffset newest = entry.LastWriteTimeUtc;
        if (entry is DirectoryInfo directory)
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.None };
            foreach (var inner in directory.EnumerateFileSystemInfos("*", options))
            {
                if (inner.LastWriteTimeUtc > newest)
                {
                    newest = inner.LastWriteTimeUtc;
                }
            }
        }

        return newest;
    }
}
