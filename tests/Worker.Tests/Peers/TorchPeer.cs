using Experiments.Tests.Shared;

namespace Experiments.Worker.Tests.Peers;

/// <summary>Debian's python3-torch, python3-torchvision and python3-sklearn as the training reference; scripts in the output's Peers folder.</summary>
internal static class TorchPeer
{
    // The comparison is single-process and small: two threads as everywhere else on this machine.
    private static readonly DebianPython Peer = new(
        "Peers", "torch, torchvision, sklearn", "python3-torch python3-torchvision python3-sklearn",
        new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "2" });

    /// <summary>Skips the calling test when the peer is missing and not required.</summary>
    public static void SkipUnlessAvailable() => Peer.SkipUnlessAvailable();

    /// <summary>Runs a script from the test output's Peers folder and returns what it printed on stdout.</summary>
    public static string Run(string script, params string[] arguments) => Peer.Run(script, arguments);
}
