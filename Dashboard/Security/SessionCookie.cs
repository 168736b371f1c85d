using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>
/// The sign-in cookie: HTTP-only, same-site strict, sliding over <see cref="DashboardOptions.SessionIdleTimeout"/>,
/// and checked against <see cref="DashboardSessions"/> on every request, so a changed token or an over-age session
/// is signed out at once instead of when the cookie would have expired.
/// </summary>
internal sealed class SessionCookie(IOptions<DashboardOptions> dashboard) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public const string Name = ".Experiments.Dashboard";

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name != CookieAuthenticationDefaults.AuthenticationScheme)
        {
            return;
        }

        options.LoginPath = SignInEndpoints.SignInPage;
        options.ReturnUrlParameter = "returnUrl";
        options.Cookie.Name = Name;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.ExpireTimeSpan = dashboard.Value.SessionIdleTimeout;
        options.SlidingExpiration = true;
        options.EventsType = typeof(Events);
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(CookieAuthenticationDefaults.AuthenticationScheme, options);

    /// <summary>Rejects (and deletes) a cookie whose session is no longer current.</summary>
    internal sealed class Events(DashboardSessions sessions) : CookieAuthenticationEvents
    {
        public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
        {
            if (!sessions.IsCurrent(context.Principal))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }
        }
    }
}
