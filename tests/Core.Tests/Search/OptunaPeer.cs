using Experiments.Tests.Shared;

namespace Experiments.Core.Tests.Search;

/// <summary>Debian's python3-optuna (+ python3-sklearn) as the search peer; its scripts sit in the output's Search folder.</summary>
internal static class OptunaPeer
{
    private static readonly DebianPython Peer = new("Search", "optuna, sklearn", "python3-optuna python3-sklearn");

    /// <summary>Skips the calling test when the peer is missing and not required.</summary>
    public static void SkipUnlessAvailable() => Peer.SkipUnlessAvailable();

    /// <summary>Runs a script from the test output folder and returns what it printed.</summary>
    public static string Run(string script, params string[] arguments) => Peer.Run(script, arguments);
}
