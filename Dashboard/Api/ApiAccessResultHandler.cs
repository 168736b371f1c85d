using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Experiments.Dashboard.Api;

/// <summary>
/// Turns a refused <see cref="ApiAccessRequirement"/> into a 401 problem (never a redirect to a sign-in page an API
/// client cannot use); an anonymous browser on a download, and every other policy, get the default challenge.
/// </summary>
internal sealed class ApiAccessResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var requirement = policy.Requirements.OfType<ApiAccessRequirement>().FirstOrDefault();
        if (authorizeResult.Succeeded || requirement is null
            || (requirement.RedirectBrowsers && !context.Request.Headers.ContainsKey(ApiAccess.HeaderName)))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var detail = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? ApiAccessHandler.MissingCredentials;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiAccess.HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Missing or wrong API key", Detail = detail },
        });
    }
}
