using System.Reflection;
using Experiments.Build;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Worker.Tests.Build;

public sealed class TorchSharpNativeFixTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void TorchSharpInitializes()
    {
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var output = conv.forward(ones(2, 3, 8, 8));
        Assert.Equal([2L, 4, 8, 8], output.shape);
        Assert.True(isfinite(output).all().item<bool>());
    }

    [Fact]
    public void PatcherFlipsOnlyTheWeakFlagOfThatVersion()
    {
        string original = OriginalLibrary();
        string copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(original, copy);
        try
        {
            VersionNeed before = ElfVersionNeeds.Read(copy).Single(n => n.Name == Version);
            Assert.Equal(0, before.Flags & ElfVersionNeeds.VerFlagWeak);

            Assert.Equal(WeakVersionResult.Patched, ElfVersionNeeds.MarkWeak(copy, Version));

            byte[] a = File.ReadAllBytes(original), b = File.ReadAllBytes(copy);
            Assert.Equal(a.Length, b.Length);
            int[] changed = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
            Assert.Equal([(int)before.FlagsOffset], changed);
            VersionNeed[] after = ElfVersionNeeds.Read(copy);
            Assert.Equal(ElfVersionNeeds.VerFlagWeak, after.Single(n => n.Name == Version).Flags);
            Assert.All(after.Where(n => n.Name != Version), n => Assert.Equal(0, n.Flags));

            Assert.Equal(WeakVersionResult.AlreadyWeak, ElfVersionNeeds.MarkWeak(copy, Version));
            Assert.Equal(b, File.ReadAllBytes(copy));
            Assert.Equal(WeakVersionResult.NotNeeded, ElfVersionNeeds.MarkWeak(copy, "GLIBCXX_9.9.9"));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void BuildOutputCopyIsWeakOnlyWhereSystemLacksTheVersion()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string libstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        bool systemHasIt = ElfVersionNeeds.DefinesVersion(libstdcxx, Version);
        ushort flags = ElfVersionNeeds.Read(output).Single(n => n.Name == Version).Flags;
        Assert.Equal(systemHasIt ? 0 : ElfVersionNeeds.VerFlagWeak, flags);
        // The NuGet cache stays untouched.
        Assert.Equal(0, ElfVersionNeeds.Read(OriginalLibrary()).Single(n => n.Name == Version).Flags);
    }

    private static string OriginalLibrary() =>
        typeof(TorchSharpNativeFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "LibTorchSharpOriginal").Value!;
}
