using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>Compares a presented token with the configured one in constant time.</summary>
public sealed class BrowserTokenCheck(IOptions<DashboardOptions> options)
{
    public bool Matches(string? presented)
    {
        var expected = options.Value.BrowserToken;
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }
}
