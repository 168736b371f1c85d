using System.Diagnostics;
using Experiments.Core.Files;

namespace Experiments.Core.Tests.Files;

/// <summary>The stray-file rule against real processes and real file times.</summary>
public sealed class StrayScratchFilesTests : IDisposable
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("scratch-");
    private readonly StrayScratchFiles stray = new(StaleAfter, TimeProvider.System);

    [Fact]
    public void ScratchNameNamesThisMachineAndProcess()
    {
        var name = ScratchName.For("last.ckpt", ScratchName.TemporaryKind);

        Assert.Matches(@"^\.last\.ckpt\.[A-Za-z0-9-]+\.\d+\.[0-9a-f]{12}\.tmp$", name);
        Assert.Equal(new ScratchOwner(ScratchName.Host, Environment.ProcessId), ScratchName.OwnerOf(name));
        Assert.Equal(new ScratchOwner("other-host", 42), ScratchName.OwnerOf(".cifar-10-binary.tar.gz.other-host.42.0123456789ab.partial"));
        Assert.Null(ScratchName.OwnerOf(".last.0f8e2b7c9a6d4e3f8a1b2c3d4e5f6a7b.tmp"));
        Assert.False(ScratchName.IsScratch("last.ckpt"));
        Assert.False(ScratchName.IsScratch("notes.tmp"));
    }

    [Fact]
    public async Task FileOfAKilledWriterOnThisMachineIsRemovedAndOneOfARunningWriterIsKept()
    {
        using var writer = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var trial = root.CreateSubdirectory("sw-a-0000");
        var path = Path.Combine(trial.FullName, $".last.ckpt.{ScratchName.Host}.{writer.Id}.0123456789ab.tmp");
        await File.WriteAllBytesAsync(path, new byte[1024]);

        Assert.Empty(stray.RemoveUnder(root.FullName, depth: 1));
        Assert.True(File.Exists(path));

        writer.Kill();
        await writer.WaitForExitAsync();

        Assert.Equal([path], stray.RemoveUnder(root.FullName, depth: 1));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void OtherMachinesFilesAreRemovedOnlyOnceNothingHasWrittenToThemForTheStaleAge()
    {
        var trial = root.CreateSubdirectory("sw-b-0000");
        var fresh = Touch(Path.Combine(trial.FullName, ".last.ckpt.other-host.7.0123456789ab.tmp"), TimeSpan.FromMinutes(5));
        var old = Touch(Path.Combine(trial.FullName, ".best.ckpt.other-host.7.0123456789ac.tmp"), StaleAfter + TimeSpan.FromMinutes(1));
        var legacy = Touch(Path.Combine(trial.FullName, ".last.0f8e2b7c9a6d4e3f8a1b2c3d4e5f6a7b.tmp"), StaleAfter + TimeSpan.FromMinutes(1));
        var checkpoint = Touch(Path.Combine(trial.FullName, "last.ckpt"), TimeSpan.FromDays(30));

        var removed = stray.RemoveUnder(root.FullName, depth: 1);

        Assert.Equal(new[] { old, legacy }.Order(), removed.Order());
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(checkpoint));
    }

    [Fact]
    public void StagingFolderCountsAsRecentWhileAnythingInsideIsBeingWritten()
    {
        var data = root.CreateSubdirectory("cifar10");
        var staging = data.CreateSubdirectory(".cifar-10-batches-bin.other-host.9.0123456789ab.partial");
        var inside = Touch(Path.Combine(staging.FullName, "data_batch_1.bin"), TimeSpan.FromMinutes(1));
        Directory.SetLastWriteTimeUtc(staging.FullName, DateTime.UtcNow - StaleAfter - TimeSpan.FromHours(1));

        Assert.Empty(stray.RemoveUnder(root.FullName, depth: 3));

        File.SetLastWriteTimeUtc(inside, DateTime.UtcNow - StaleAfter - TimeSpan.FromHours(1));
        Assert.Equal([staging.FullName], stray.RemoveUnder(root.FullName, depth: 3));
        Assert.False(Directory.Exists(staging.FullName));
    }

    [Fact]
    public void NothingBelowTheGivenDepthIsTouched()
    {
        var deep = root.CreateSubdirectory("a").CreateSubdirectory("b").CreateSubdirectory("c");
        var path = Touch(Path.Combine(deep.FullName, ".x.other-host.1.0123456789ab.tmp"), StaleAfter * 2);

        Assert.Empty(stray.RemoveUnder(root.FullName, depth: 1));
        Assert.True(File.Exists(path));
        Assert.Empty(stray.RemoveUnder(Path.Combine(root.FullName, "missing"), depth: 1));
    }

    public void Dispose() => root.Delete(recursive: true);

    private static string Touch(string path, TimeSpan age)
    {
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }
}
