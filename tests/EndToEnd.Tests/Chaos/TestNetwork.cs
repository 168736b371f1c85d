using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// Machines of their own on this one: each is a network namespace joined to this host by a veth pair on a private /30
/// (host side .1, namespace side .2). Names and subnets come from this test process's id, so runs in parallel never
/// share one, and only addresses created here are used. Everything is removed on dispose, and at the next start a
/// dead run's leftovers (its process gone) are removed too.
/// </summary>
internal sealed class TestNetwork : IDisposable
{
    /// <summary>Every name starts with it (namespaces "exp-m-PID-N", links "xh"/"xn" + PID + N, under 15 characters).</summary>
    private const string NamespacePrefix = "exp-m-";

    private readonly List<Machine> _machines = [];

    private TestNetwork()
    {
    }

    /// <summary>One namespace: where a process started with <see cref="Launcher"/> sees the network.</summary>
    internal sealed record Machine(string Namespace, string HostLink, IPAddress HostAddress, IPAddress Address)
    {
        /// <summary>Runs a command inside this namespace (ip execs it: the process started is the command itself).</summary>
        public IReadOnlyList<string> Launcher => ["ip", "netns", "exec", Namespace];
    }

    public IReadOnlyList<Machine> Machines => _machines;

    /// <summary>Why namespaces cannot be made here (not root, no iproute2, no netns support), or null.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (Run(["id", "-u"]) is not (0, var uid) || uid.Trim() != "0")
        {
            return "network namespaces need root (ip netns add); run as root, as CI does";
        }

        // Root is not enough in a container without CAP_SYS_ADMIN: try the one thing the test needs.
        var probe = string.Create(CultureInfo.InvariantCulture, $"{NamespacePrefix}{Environment.ProcessId}-p");
        if (Run(["ip", "netns", "add", probe]) is not (0, _) and (_, var error))
        {
            return $"'ip netns add' does not work here ({error.Trim()}); it needs iproute2 and CAP_SYS_ADMIN";
        }

        Run(["ip", "netns", "del", probe]);
        return null;
    }

    /// <summary>
    /// Makes <paramref name="count"/> namespaces, each reaching <em>every</em> host-side address (so one of them can be a
    /// server's) through its own link.
    /// </summary>
    public static TestNetwork Create(int count)
    {
        RemoveLeftoversOfDeadRuns();
        var network = new TestNetwork();
        try
        {
            var pid = Environment.ProcessId;
            var blocks = FreeBlocks(pid, count);
            for (var i = 0; i < count; i++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{NamespacePrefix}{pid}-{i}");
                var machine = new Machine(name, $"xh{pid}{i}", Address(blocks[i], 1), Address(blocks[i], 2));
                network._machines.Add(machine);
                var namespaceLink = $"xn{pid}{i}";
                Must(["ip", "netns", "add", name]);
                Must(["ip", "link", "add", machine.HostLink, "type", "veth", "peer", "name", namespaceLink, "netns", name]);
                Must(["ip", "addr", "add", $"{machine.HostAddress}/30", "dev", machine.HostLink]);
                Must(["ip", "link", "set", machine.HostLink, "up"]);
                Must([.. machine.Launcher, "ip", "link", "set", "lo", "up"]);
                Must([.. machine.Launcher, "ip", "addr", "add", $"{machine.Address}/30", "dev", namespaceLink]);
                Must([.. machine.Launcher, "ip", "link", "set", namespaceLink, "up"]);
            }

            // Every host-side address is a local address of the host: a namespace reaches another link's host side
            // through its own link, without forwarding.
            foreach (var machine in network._machines)
            {
                foreach (var other in network._machines.Where(m => m != machine))
                {
                    Must([.. machine.Launcher, "ip", "route", "add", $"{other.HostAddress}/32", "via", machine.HostAddress.ToString()]);
                }
            }

            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Cuts a machine off (its link goes down on the host side, as a pulled cable or a partition).</summary>
    public static void Cut(Machine machine) => Must(["ip", "link", "set", machine.HostLink, "down"]);

    /// <summary>Brings a cut machine's link back.</summary>
    public static void Restore(Machine machine) => Must(["ip", "link", "set", machine.HostLink, "up"]);

    /// <summary>Removes the namespaces and links (the processes inside must have been stopped first).</summary>
    public void Dispose()
    {
        foreach (var machine in _machines)
        {
            Remove(machine.Namespace, machine.HostLink);
        }

        _machines.Clear();
    }

    private static void Remove(string @namespace, string hostLink)
    {
        // Deleting a veth end deletes its peer; deleting the namespace deletes a peer still inside it. Either may be gone.
        Run(["ip", "link", "del", hostLink]);
        Run(["ip", "netns", "del", @namespace]);
    }

    /// <summary>A killed test run cannot clean up: its namespaces carry its pid, and a pid no longer running frees them.</summary>
    private static void RemoveLeftoversOfDeadRuns()
    {
        if (Run(["ip", "netns", "list"]) is not (0, var list))
        {
            return;
        }

        foreach (var name in list.Split('\n').Select(l => l.Split(' ')[0].Trim()).Where(n => n.StartsWith(NamespacePrefix, StringComparison.Ordinal)))
        {
            var parts = name[NamespacePrefix.Length..].Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                Remove(name, $"xh{pid}{parts[1]}");
            }
        }
    }

    /// <summary>
    /// /30 blocks of 10.0.0.0/8 for this process, numbered from its pid (distinct pids, distinct blocks), skipping any
    /// that overlap an address or route this host already has.
    /// </summary>
    private static List<uint> FreeBlocks(int pid, int count)
    {
        const uint Blocks = 1u << 22; // /30 blocks in 10.0.0.0/8
        var taken = TakenRanges();
        var chosen = new List<uint>();
        var candidate = (uint)((long)pid * count % Blocks);
        for (var tries = 0; chosen.Count < count; tries++)
        {
            if (tries > 10_000)
            {
                throw new InvalidOperationException("No free /30 in 10.0.0.0/8 for the test network.");
            }

            var first = 0x0A000000u + (candidate * 4);
            if (!taken.Any(r => first <= r.Last && r.First <= first + 3))
            {
                chosen.Add(candidate);
            }

            candidate = (candidate + 1) % Blocks;
        }

        return chosen;
    }

    private static List<(uint First, uint Last)> TakenRanges()
    {
        var ranges = new List<(uint, uint)>();
        var addresses = Run(["ip", "-4", "-o", "addr", "show"]).Output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var routes = Run(["ip", "-4", "route", "show", "table", "all"]).Output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var token in addresses.Concat(routes))
        {
            var parts = token.Split('/');
            if (parts[0].Count(c => c == '.') == 3 && IPAddress.TryParse(parts[0], out var address)
                && (parts.Length == 1 || int.TryParse(parts[1], out _)))
            {
                var length = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 32;
                if (length == 0)
                {
                    continue; // a default route overlaps everything and takes nothing
                }

                var value = ToUInt(address);
                var mask = uint.MaxValue << (32 - length);
                ranges.Add((value & mask, (value & mask) | ~mask));
            }
        }

        return ranges;
    }

    private static IPAddress Address(uint block, uint host)
    {
        var value = 0x0A000000u + (block * 4) + host;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static void Must(IReadOnlyList<string> command)
    {
        var (exitCode, output) = Run(command);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' exited with {exitCode}: {output.Trim()}");
        }
    }

    /// <summary>Runs a command to its end: its exit code and its output and errors (-1 and why when it cannot start).</summary>
    internal static (int ExitCode, string Output) Run(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
