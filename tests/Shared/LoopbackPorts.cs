using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Experiments.Tests.Shared;

/// <summary>
/// Ports for servers the tests start (and restart on the same port): free when chosen, and below the kernel's ephemeral
/// range, so an outgoing connection of another test project cannot take one between the choice and the server's bind,
/// as it could take a port the kernel handed out for bind(0) (the same range it draws source ports from).
/// </summary>
public static class LoopbackPorts
{
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>A port on <paramref name="address"/> (loopback by default) that nothing listens on now.</summary>
    public static int Free(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var (low, high) = Candidates();
        for (var tries = 0; tries < 200; tries++)
        {
            var port = Random.Shared.Next(low, high);
            try
            {
                using var probe = new TcpListener(address, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another try.
            }
        }

        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The 12,000 ports below the ephemeral range (20000-32767 with Linux's default 32768-60999).</summary>
    private static (int Low, int High) Candidates()
    {
        var ephemeralLow = 32768;
        if (File.Exists(EphemeralRange)
            && File.ReadAllText(EphemeralRange).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is [var first, ..]
            && int.TryParse(first, CultureInfo.InvariantCulture, out var parsed))
        {
            ephemeralLow = parsed;
        }

        var high = Math.Max(ephemeralLow, 2048);
        return (Math.Max(1024, high - 12_000), high);
    }
}
