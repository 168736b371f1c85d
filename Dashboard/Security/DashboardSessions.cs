using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>
/// Sign-in sessions bound to the token they signed in with. A session carries a hash of the token (never the token)
/// and its sign-in time; it is current while that hash matches today's token and its maximum lifetime has not passed.
/// So a new token (a restart with another <c>dashboard-token</c>, or a reloaded configuration) ends every session.
/// </summary>
public sealed class DashboardSessions(IOptionsMonitor<DashboardOptions> options, TimeProvider time)
{
    public const string TokenHashClaim = "experiments:token-sha256";
    public const string SignedInAtClaim = "experiments:signed-in-at";

    /// <summary>Compares a presented token with the configured one in constant time.</summary>
    public bool Matches(string? presented)
    {
        var expected = options.CurrentValue.BrowserToken;
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        // Fixed-time comparison: response timing must not reveal how much of a guessed token was right.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>A new session for someone who just presented the current token.</summary>
    public ClaimsPrincipal Start()
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, "dashboard-user"),
                new Claim(TokenHashClaim, TokenHash(options.CurrentValue.BrowserToken)),
                new Claim(SignedInAtClaim, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>True while the session's token is today's token and it is younger than its maximum lifetime.</summary>
    public bool IsCurrent(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true })
        {
            return false;
        }

        var current = options.CurrentValue;
        var hash = principal.FindFirstValue(TokenHashClaim);
        if (hash is null || string.IsNullOrEmpty(current.BrowserToken)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(TokenHash(current.BrowserToken))))
        {
            return false;
        }

        return long.TryParse(principal.FindFirstValue(SignedInAtClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var signedIn)
            && time.GetUtcNow() < DateTimeOffset.FromUnixTimeSeconds(signedIn) + current.SessionMaxLifetime;
    }

    private static string TokenHash(string? token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? "")));
}
