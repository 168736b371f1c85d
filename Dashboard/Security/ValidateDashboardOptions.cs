using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Security;

/// <summary>Refuses to start without a usable sign-in token or with a trace template lacking its placeholder.</summary>
public sealed class ValidateDashboardOptions : IValidateOptions<DashboardOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BrowserToken))
        {
            failures.Add("Dashboard:BrowserToken is required outside Development (the AppHost generates one).");
        }
        else if (options.BrowserToken.Length < MinimumTokenLength)
        {
            failures.Add($"Dashboard:BrowserToken must be at least {MinimumTokenLength} characters.");
        }

        if (!string.IsNullOrWhiteSpace(options.TraceUrlTemplate) && !options.TraceUrlTemplate.Contains("{traceId}", StringComparison.Ordinal))
        {
            failures.Add("Dashboard:TraceUrlTemplate must contain {traceId}.");
        }

        if (options.SignInLifetime <= TimeSpan.Zero)
        {
            failures.Add("Dashboard:SignInLifetime must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
