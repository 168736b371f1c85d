using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Experiments.Dashboard.Security;

/// <summary>
/// Sign-in with the browser token: the form posts here (antiforgery-checked), or the AppHost's link carries
/// it as <c>?t=</c> like the Aspire dashboard's. Success sets the auth cookie; failure goes back to the form.
/// </summary>
public static class SignInEndpoints
{
    /// <summary>The sign-in page (a component).</summary>
    public const string SignInPage = "/signin";

    /// <summary>POST: the page's form (antiforgery-checked). GET with <c>?t=</c>: the link the AppHost prints.</summary>
    public const string SignInPath = "/account/signin";
    public const string SignOutPath = "/account/signout";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SignInPath, ([FromForm] SignInForm form, HttpContext context, DashboardSessions sessions) =>
            SignInAsync(context, sessions, form.Token, form.ReturnUrl))
            .AllowAnonymous();

        // The link printed by the AppHost: a GET with the token, exactly like the Aspire dashboard's /login?t=.
        endpoints.MapGet(SignInPath, (string? t, string? returnUrl, HttpContext context, DashboardSessions sessions) =>
            SignInAsync(context, sessions, t, returnUrl))
            .AllowAnonymous();

        endpoints.MapPost(SignOutPath, async (HttpContext context) =>
        {
            // No form fields are bound here, so the antiforgery result is checked by hand.
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                return Results.BadRequest();
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(SignInPage);
        }).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute());

        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, DashboardSessions sessions, string? token, string? returnUrl)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        if (!sessions.Matches(token))
        {
            return Results.LocalRedirect($"{SignInPage}?failed=1&returnUrl={Uri.EscapeDataString(target)}");
        }

        // Persistent (survives a browser restart) but sliding: the cookie options set the idle timeout and
        // renew it; the session itself ends at its maximum lifetime or when the token changes.
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, sessions.Start(), new AuthenticationProperties { IsPersistent = true });
        return Results.LocalRedirect(target);
    }

    /// <summary>Only same-site paths: a crafted returnUrl must not send a signed-in user elsewhere.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    /// <summary>The sign-in form's fields.</summary>
    public sealed class SignInForm
    {
        public string? Token { get; set; }
        public string? ReturnUrl { get; set; }
    }
}
