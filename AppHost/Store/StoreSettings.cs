using System.Net;
using Experiments.Core.Queue;
using Microsoft.Extensions.Configuration;

namespace Experiments.AppHost.Store;

/// <summary>The AppHost's <c>Store</c> section.</summary>
public sealed record StoreSettings(StoreMode Mode, string DataDirectory, string RedisServerPath)
{
    public const string SectionName = "Store";

    /// <summary>The embedded store's port when it listens on a fixed address and other machines must find it.</summary>
    public const int DefaultFixedPort = 6379;

    /// <summary>
    /// Where the embedded store listens (<c>Store:BindAddress</c>), or null for loopback on a port the orchestrator picks.
    /// </summary>
    public IPAddress? BindAddress { get; init; }

    /// <summary>The embedded store's fixed port (<c>Store:Port</c>, default 6379 once a bind address is set), or null.</summary>
    public int? Port { get; init; }

    public static StoreSettings From(IConfiguration configuration, string repositoryRoot)
    {
        var section = configuration.GetSection(SectionName);
        var modeText = section["Mode"] ?? "embedded";
        if (!TryParseMode(modeText, out var mode))
        {
            throw new InvalidOperationException(
                $"Store:Mode '{modeText}' is not one of embedded, redis-server, container, external.");
        }

        var dataDirectory = section["DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, repositoryRoot)
            : Path.Combine(repositoryRoot, ".data", mode == StoreMode.Embedded ? "garnet" : "redis");
        var (bindAddress, port) = ReadListener(section, mode);
        return new StoreSettings(mode, dataDirectory, section["RedisServerPath"] ?? "redis-server") { BindAddress = bindAddress, Port = port };
    }

    private static (IPAddress? BindAddress, int? Port) ReadListener(IConfigurationSection section, StoreMode mode)
    {
        var bindText = section["BindAddress"];
        var portText = section["Port"];
        if (string.IsNullOrWhiteSpace(bindText) && string.IsNullOrWhiteSpace(portText))
        {
            return (null, null);
        }

        if (mode != StoreMode.Embedded)
        {
            throw new InvalidOperationException(
                $"Store:BindAddress and Store:Port apply to the embedded store only, and Store:Mode is '{section["Mode"]}'.");
        }

        IPAddress? bind = null;
        if (!string.IsNullOrWhiteSpace(bindText) && !StoreBindAddress.TryParse(bindText, out bind))
        {
            throw new InvalidOperationException(
                $"Store:BindAddress '{bindText}' is not an IP address (e.g. 10.0.0.5 for one interface, 0.0.0.0 for every interface).");
        }

        var port = DefaultFixedPort;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"Store:Port '{portText}' is not a TCP port (1-65535).");
        }

        return (bind ?? IPAddress.Loopback, port);
    }

    private static bool TryParseMode(string text, out StoreMode mode)
        => Enum.TryParse(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out mode) && Enum.IsDefined(mode);
}
