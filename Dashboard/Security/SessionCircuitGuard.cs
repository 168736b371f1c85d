using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Experiments.Dashboard.Security;

/// <summary>
/// A Blazor circuit outlives the request that opened it, so its sign-in is checked again before every inbound
/// activity (a click, a form submit, a JS call): once the session is no longer current (the token changed, or it
/// passed its maximum lifetime) nothing more runs on the circuit and the browser is sent to sign in. Any page
/// action, present or future, is covered without the page doing anything.
/// </summary>
internal sealed class SessionCircuitGuard(AuthenticationStateProvider authentication, DashboardSessions sessions, NavigationManager navigation)
    : CircuitHandler
{
    private int _signedOut;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            if (sessions.IsCurrent(state.User))
            {
                await next(context);
                return;
            }

            if (Interlocked.Exchange(ref _signedOut, 1) == 0)
            {
                // A full load: the cookie is rejected there too, so the browser lands on the sign-in page.
                navigation.NavigateTo(navigation.Uri, forceLoad: true);
            }
        };
}
