using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Experiments.Core.Queue;

/// <summary>The address a store listens on, as the AppHost and the store host both read it: one rule for both.</summary>
public static class StoreBindAddress
{
    /// <summary>
    /// An IPv4 address in its four parts or an IPv6 address. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
    /// alone also takes "10.0.0" or "10" (old inet_aton forms), which name an address nobody meant.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var trimmed = text?.Trim();
        return !string.IsNullOrEmpty(trimmed)
            && (trimmed.Contains(':', StringComparison.Ordinal) || trimmed.Split('.').Length == 4)
            && IPAddress.TryParse(trimmed, out address);
    }
}
