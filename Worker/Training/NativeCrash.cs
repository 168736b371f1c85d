using System.Runtime.InteropServices;

namespace Experiments.Worker.Training;

/// <summary>
/// A real native crash for the tests of trainer crashes (Training:TestCrashInBatch): the kernel's SIGSEGV for a write
/// through a null pointer in native code, or libc's abort(). Sent from outside with <c>kill</c>, SIGSEGV and SIGABRT do
/// not end a .NET process (its runtime handles them), so a test cannot fake a libtorch crash that way. Or memory
/// allocated and touched until the kernel's OOM killer ends the process, as a model too big for its cgroup would.
/// </summary>
internal static partial class NativeCrash
{
    public const string Segfault = "segfault";
    public const string Abort = "abort";
    public const string OutOfMemory = "oom";

    public static IReadOnlyList<string> All { get; } = [Segfault, Abort, OutOfMemory];

    /// <summary>64 MiB at a time: a limit is passed within a second, in steps small against any cgroup limit worth testing.</summary>
    private const int OomBlock = 64 << 20;

    /// <summary>Where a run that has no memory cap gives up (abort) rather than take the machine's memory.</summary>
    private const long OomCeiling = 8L << 30;

    public static void Now(string kind)
    {
        if (kind == OutOfMemory)
        {
            // Native and touched: a page counts against the cgroup only once written; never freed, as a leak would be.
            for (long allocated = 0; allocated < OomCeiling; allocated += OomBlock)
            {
                memset(Marshal.AllocHGlobal(OomBlock), 1, OomBlock);
            }
        }

        if (kind is Abort or OutOfMemory)
        {
            abort();
        }

        memset(IntPtr.Zero, 1, 1);
    }

    [DllImport("libc.so.6")]
    private static extern void abort();

    [DllImport("libc.so.6")]
    private static extern IntPtr memset(IntPtr destination, int value, nuint count);
}
