using Microsoft.AspNetCore.Authorization;

namespace Experiments.Dashboard.Api;

/// <summary>
/// Who may call what. Every API route needs the API key (<c>X-Api-Key</c>) or, for reads (GET/HEAD), a signed-in
/// Dashboard session; state-changing calls need the key, so a browser session never changes state through the API
/// (no cross-site request can either). Downloads (exports, checkpoints) accept the same, and send a browser without
/// either to the sign-in page. The rule is decided by method, not by route, so a route added later inherits it.
/// </summary>
public static class ApiAccess
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The HTTP API (<c>/api</c>): refusals are 401 problem details.</summary>
    public const string ApiPolicy = "experiments-api";

    /// <summary>Downloads linked from the pages: like the API, but an anonymous browser is redirected to sign in.</summary>
    public const string DownloadPolicy = "experiments-downloads";

    public static AuthorizationBuilder AddApiAccessPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(ApiPolicy, policy => policy.AddRequirements(new ApiAccessRequirement(RedirectBrowsers: false)))
        .AddPolicy(DownloadPolicy, policy => policy.AddRequirements(new ApiAccessRequirement(RedirectBrowsers: true)));

    /// <summary>Reads are what a session may do; HEAD is a GET without its body.</summary>
    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
}

/// <summary>The API key, or a current session for reads; see <see cref="ApiAccess"/>.</summary>
/// <param name="RedirectBrowsers">Send a caller without any credentials to the sign-in page instead of a 401.</param>
public sealed record ApiAccessRequirement(bool RedirectBrowsers) : IAuthorizationRequirement;
