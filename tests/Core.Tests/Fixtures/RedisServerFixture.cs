using System.Diagnostics;
using System.Globalization;

namespace Experiments.Core.Tests.Fixtures;

/// <summary>Debian's redis-server, configured durable (every write fsynced to the AOF before the reply).</summary>
public sealed class RedisServerFixture : StoreServer
{
    /// <summary>More <c>--name value</c> settings, e.g. a production-like maxmemory-policy.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    private const string RedisServerPath = "/usr/bin/redis-server";

    public override string Name => "redis-server";

    protected override string? FindUnavailableReason() =>
        File.Exists(RedisServerPath) ? null : $"{RedisServerPath} is not installed (apt-get install -y redis-server)";

    protected override ProcessStartInfo CreateStartInfo()
    {
        var startInfo = Durable();
        foreach (var argument in ExtraArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    private ProcessStartInfo Durable() => new(RedisServerPath)
    {
        ArgumentList =
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--requirepass", Password,
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--dir", DataDirectory,
            "--save", "",
            "--daemonize", "no",
        },
    };
}
