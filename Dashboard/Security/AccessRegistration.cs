using Experiments.Dashboard.Api;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>Who gets in: sign-in sessions and their cookie, the API's access rule, and the circuit's re-check.</summary>
public static class AccessRegistration
{
    /// <summary>Registers access for the pages, the downloads and the API alike; a second call does nothing.</summary>
    public static IServiceCollection AddDashboardAccess(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(DashboardSessions)))
        {
            return services;
        }

        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, ValidateDashboardOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DashboardSessions>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, SessionCookie>();
        services.AddSingleton<SessionCookie.Events>();

        services.AddProblemDetails();
        services.AddAuthorizationBuilder().AddApiAccessPolicies();
        services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAccessResultHandler>();

        services.AddCascadingAuthenticationState();
        services.AddScoped<CircuitHandler, SessionCircuitGuard>();
        services.AddAntiforgery();
        return services;
    }
}
