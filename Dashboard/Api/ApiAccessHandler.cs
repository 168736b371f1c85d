using System.Security.Cryptography;
using System.Text;
using Experiments.Dashboard.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Api;

/// <summary>Decides <see cref="ApiAccessRequirement"/> for one request; the failure reason becomes the 401's detail.</summary>
internal sealed class ApiAccessHandler(IOptionsMonitor<ApiOptions> api, DashboardSessions sessions) : AuthorizationHandler<ApiAccessRequirement>
{
    public const string MissingCredentials =
        $"Every API call needs the '{ApiAccess.HeaderName}' header with the API key (the AppHost's 'api-key' parameter); reads also accept a signed-in Dashboard session.";

    public const string WrongKey = $"The '{ApiAccess.HeaderName}' header does not hold the API key.";

    public const string SessionCannotChange =
        $"A Dashboard session can read through the API; calls that change state need the '{ApiAccess.HeaderName}' header with the API key.";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            context.Fail(new AuthorizationFailureReason(this, MissingCredentials));
            return Task.CompletedTask;
        }

        if (http.Request.Headers.TryGetValue(ApiAccess.HeaderName, out var presented))
        {
            // A key that is sent must be right, even where a session alone would do: a wrong key is a caller's bug to see.
            if (KeyMatches(presented.ToString()))
            {
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new AuthorizationFailureReason(this, WrongKey));
            }

            return Task.CompletedTask;
        }

        if (!sessions.IsCurrent(context.User))
        {
            context.Fail(new AuthorizationFailureReason(this, MissingCredentials));
        }
        else if (ApiAccess.IsRead(http.Request.Method))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, SessionCannotChange));
        }

        return Task.CompletedTask;
    }

    private bool KeyMatches(string presented)
    {
        var expected = api.CurrentValue.Key;
        // Fixed-time comparison: response timing must not reveal how much of a guessed key was right.
        return presented.Length > 0 && expected.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }
}
