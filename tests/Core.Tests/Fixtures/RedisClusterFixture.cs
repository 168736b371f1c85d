using System.Diagnostics;
using System.Globalization;
using Experiments.Tests.Shared;

namespace Experiments.Core.Tests.Fixtures;

/// <summary>
/// A real three-shard Redis Cluster (Debian's redis-server, each node durable like <see cref="RedisServerFixture"/>),
/// formed with <c>redis-cli --cluster create</c>. The nodes run under one shell, so a kill takes all three down and a
/// restart brings the same cluster back from each node's <c>nodes.conf</c> and AOF. Clients are given the first
/// node; they find the others from it.
/// </summary>
public sealed class RedisClusterFixture : StoreServer
{
    private const string RedisServerPath = "/usr/bin/redis-server";
    private const string RedisCliPath = "/usr/bin/redis-cli";

    // Node 1 listens on Port (chosen by the base); each node's cluster bus port is given too, as port + 10000 may not exist.
    private readonly int[] _ports = new int[3];
    private readonly int[] _busPorts = [LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free()];
    private bool _formed;

    public override string Name => "redis-server cluster";

    protected override string? FindUnavailableReason() =>
        File.Exists(RedisServerPath) && File.Exists(RedisCliPath) ? null : $"{RedisServerPath} or {RedisCliPath} is not installed (apt-get install -y redis-server)";

    protected override ProcessStartInfo CreateStartInfo()
    {
        if (_ports[0] == 0)
        {
            _ports[0] = Port;
            _ports[1] = LoopbackPorts.Free();
            _ports[2] = LoopbackPorts.Free();
        }

        // A 60 s node timeout: a node stuck in fsync (appendfsync always) beside other test projects' disk load is not
        // marked failed by the others, which with no replicas would refuse every command (CLUSTERDOWN).
        var nodes = Enumerable.Range(0, 3).Select(i =>
        {
            var directory = Path.Combine(DataDirectory, $"node-{i + 1}");
            Directory.CreateDirectory(directory);
            return $"{RedisServerPath} --port {_ports[i]} --cluster-port {_busPorts[i]} --cluster-enabled yes --cluster-config-file nodes.conf " +
                $"--cluster-node-timeout 60000 --bind 127.0.0.1 --requirepass {Password} --masterauth {Password} " +
                $"--appendonly yes --appendfsync always --dir '{directory}' --save '' --daemonize no &";
        });
        // The shell waits on its three nodes: killing its process tree kills the cluster.
        return new ProcessStartInfo("/bin/bash") { ArgumentList = { "-c", string.Join("\n", nodes) + "\nwait" } };
    }

    protected override async Task AfterStartAsync()
    {
        foreach (var port in _ports[1..])
        {
            await Eventually.UntilAsync(async () => (await CliAsync(port, "PING")).Contains("PONG", StringComparison.Ordinal), $"cluster node {port} to answer PING");
        }

        if (!_formed)
        {
            var created = await CliAsync(_ports[0], ["--cluster", "create", .. _ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]);
            if (!created.Contains("All 16384 slots covered", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed:\n{created}");
            }

            _formed = true;
        }

        // After a restart too: each node must see every slot served before a client can use the cluster.
        foreach (var port in _ports)
        {
            await Eventually.UntilAsync(
                async () => (await CliAsync(port, "CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal),
                $"cluster node {port} to report cluster_state:ok",
                timeout: TimeSpan.FromMinutes(1));
        }
    }

    private Task<string> CliAsync(int port, params string[] arguments) => CliAsync(port, arguments.AsEnumerable());

    private async Task<string> CliAsync(int port, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(RedisCliPath)
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-a", Password, "--no-auth-warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(startInfo)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return await output + await error;
    }
}
