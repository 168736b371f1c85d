using Experiments.Core.Checkpoints;

namespace Experiments.Worker.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "ckpt-store-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("trial\n")]
    public void RejectsAnythingButAnId(string id)
    {
        var store = new CheckpointStore(root);
        Assert.Throws<ArgumentException>(() => store.List(id));
        Assert.Throws<ArgumentException>(() => store.OpenRead(id, "last"));
        Assert.Throws<ArgumentException>(() => store.OpenRead("trial", id));
        Assert.Throws<ArgumentException>(() => store.Write(id, "last", _ => { }));
        Assert.Throws<ArgumentException>(() => store.Delete(id, "last"));
        Assert.Throws<ArgumentException>(() => store.ImportPath(id));
    }

    [Fact]
    public void WritesListsReadsAndDeletes()
    {
        var store = new CheckpointStore(root);
        store.Write("trial-1", "last", s => s.Write([1, 2, 3]));
        store.Write("trial-1", "best", s => s.Write([4]));
        var files = store.List("trial-1");
        Assert.Equal(["best", "last"], files.Select(f => f.Name));
        Assert.Equal(3, files.Single(f => f.Name == "last").Size);
        using (var stream = store.OpenRead("trial-1", "last"))
            Assert.Equal(1, stream.ReadByte());
        Assert.True(store.Delete("trial-1", "best"));
        Assert.False(store.Delete("trial-1", "best"));
        Assert.Equal(["last"], store.List("trial-1").Select(f => f.Name));
        Assert.Empty(store.List("other"));
    }

    [Fact]
    public void FailedWriteKeepsThePreviousFileAndLeavesNoTemp()
    {
        var store = new CheckpointStore(root);
        store.Write("t", "last", s => s.Write([7, 7]));
        Assert.Throws<InvalidOperationException>(() => store.Write("t", "last", s =>
        {
            s.Write([1, 2, 3, 4]);
            throw new InvalidOperationException("crash mid-write");
        }));
        using (var stream = store.OpenRead("t", "last"))
            Assert.Equal(2, stream.Length);
        Assert.Equal(["last.ckpt"], Directory.GetFiles(Path.Combine(root, "t")).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}
