using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>Refuses to start without a usable sign-in token, with a trace template lacking its placeholder, or with session times that make no sense.</summary>
public sealed class ValidateDashboardOptions : IValidateOptions<DashboardOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BrowserToken))
        {
            failures.Add("Dashboard:BrowserToken is required (the AppHost generates one as the 'dashboard-token' parameter; run alone, set Dashboard__BrowserToken).");
        }
        else if (options.BrowserToken.Length < MinimumTokenLength)
        {
            failures.Add($"Dashboard:BrowserToken must be at least {MinimumTokenLength} characters.");
        }

        if (!string.IsNullOrWhiteSpace(options.TraceUrlTemplate) && !options.TraceUrlTemplate.Contains("{traceId}", StringComparison.Ordinal))
        {
            failures.Add("Dashboard:TraceUrlTemplate must contain {traceId}.");
        }

        if (options.SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            failures.Add($"Dashboard:SessionIdleTimeout must be at least 1 minute (was {options.SessionIdleTimeout}).");
        }

        if (options.SessionMaxLifetime < options.SessionIdleTimeout)
        {
            failures.Add($"Dashboard:SessionMaxLifetime ({options.SessionMaxLifetime}) must not be shorter than Dashboard:SessionIdleTimeout ({options.SessionIdleTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
