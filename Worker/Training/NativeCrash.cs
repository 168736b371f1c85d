using System.Runtime.InteropServices;

namespace Experiments.Worker.Training;

/// <summary>
/// A real native crash for the tests of trainer crashes (Training:TestCrashInBatch): the kernel's SIGSEGV for a write
/// through a null pointer in native code, or libc's abort(). Sent from outside with <c>kill</c>, SIGSEGV and SIGABRT do
/// not end a .NET process (its runtime handles them), so a test cannot fake a libtorch crash that way.
/// </summary>
internal static partial class NativeCrash
{
    public const string Segfault = "segfault";
    public const string Abort = "abort";

    public static void Now(string kind)
    {
        if (kind == Abort)
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
