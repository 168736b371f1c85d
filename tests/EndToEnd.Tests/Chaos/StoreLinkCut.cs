using System.Diagnostics;
using System.Globalization;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Cuts the link to the store on this machine: an nftables rule, in a table of this test's own, that drops every TCP
/// packet sent to the store's port (new connections and established ones alike), as a switch failing or a cable
/// pulled would. Services under one AppHost share the host's loopback, so a rule on the output hook is the one place
/// that reaches all of them. <see cref="Restore"/> takes the rule away; disposing deletes the table.
/// </summary>
internal sealed class StoreLinkCut : IDisposable
{
    // Unique per run: tests in parallel (or a dead run's leftovers) never share or delete another's table.
    private readonly string _table = string.Create(CultureInfo.InvariantCulture, $"experiments_chaos_{Environment.ProcessId}_{Random.Shared.Next(1_000_000)}");
    private readonly int _port;
    private bool _created;

    private StoreLinkCut(int port) => _port = port;

    public bool IsCut { get; private set; }

    /// <summary>Why the link cannot be cut here (no <c>nft</c>, not root, no nftables in the kernel), or null.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "cutting the store's link needs Linux nftables";
        }

        var probe = string.Create(CultureInfo.InvariantCulture, $"experiments_probe_{Environment.ProcessId}");
        switch (Run(["add", "table", "inet", probe]))
        {
            case (-1, var error):
                return $"'nft' (Debian package nftables) is not installed here ({error.Trim()})";
            case (not 0, var error):
                return $"'nft add table' does not work here ({error.Trim()}); it needs root and nftables in the kernel";
        }

        Run(["delete", "table", "inet", probe]);
        return null;
    }

    /// <summary>Makes the table and its (empty) output chain; nothing is dropped until <see cref="Cut"/>.</summary>
    public static StoreLinkCut Create(int port)
    {
        var link = new StoreLinkCut(port);
        Must(["add", "table", "inet", link._table]);
        link._created = true;
        Must(["add", "chain", "inet", link._table, "output", "{", "type", "filter", "hook", "output", "priority", "0", ";", "policy", "accept", ";", "}"]);
        return link;
    }

    public void Cut()
    {
        Must(["add", "rule", "inet", _table, "output", "tcp", "dport", _port.ToString(CultureInfo.InvariantCulture), "drop"]);
        IsCut = true;
    }

    public void Restore()
    {
        Must(["flush", "chain", "inet", _table, "output"]);
        IsCut = false;
    }

    public void Dispose()
    {
        if (_created)
        {
            Run(["delete", "table", "inet", _table]);
            _created = false;
        }
    }

    private static void Must(IReadOnlyList<string> arguments)
    {
        if (Run(arguments) is not (0, _) and (var code, var output))
        {
            throw new InvalidOperationException($"nft {string.Join(' ', arguments)} exited with {code}: {output.Trim()}");
        }
    }

    private static (int ExitCode, string Output) Run(IReadOnlyList<string> arguments) => TestNetwork.Run(["nft", .. arguments]);
}
