using System.Runtime.CompilerServices;
using Bunit;

namespace Experiments.Dashboard.Tests;

/// <summary>
/// bUnit waits one second for a render by default; on a loaded two-core CI machine a live-feed push can take longer (15 s was seen to be too little),
/// and a test must fail for a wrong page, not a slow one.
/// </summary>
internal static class WaitTimeouts
{
#pragma warning disable CA2255 // A test assembly's one-time setting, not a library's.
    [ModuleInitializer]
    internal static void Lengthen() => BunitContext.DefaultWaitTimeout = TimeSpan.FromMinutes(1);
#pragma warning restore CA2255
}
