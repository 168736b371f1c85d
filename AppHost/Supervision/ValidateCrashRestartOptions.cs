using Microsoft.Extensions.Options;

namespace Experiments.AppHost.Supervision;

/// <summary>Fails the AppHost's start on backoff settings that would spin or never restart.</summary>
public sealed class ValidateCrashRestartOptions : IValidateOptions<CrashRestartOptions>
{
    public ValidateOptionsResult Validate(string? name, CrashRestartOptions options)
    {
        List<string> failures = [];
        const string section = CrashRestartOptions.SectionName;
        if (options.InitialBackoff < TimeSpan.FromMilliseconds(100))
        {
            // Below this a resource that crashes at start would restart in a tight loop.
            failures.Add($"{section}:InitialBackoff must be at least 00:00:00.1 (was {options.InitialBackoff}).");
        }

        if (options.MaxBackoff < options.InitialBackoff)
        {
            failures.Add($"{section}:MaxBackoff must be at least {section}:InitialBackoff ({options.InitialBackoff}) (was {options.MaxBackoff}).");
        }

        if (options.MaxBackoff > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:MaxBackoff must be at most 01:00:00 (was {options.MaxBackoff}).");
        }

        if (options.StableAfter < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{section}:StableAfter must be at least 00:00:01 (was {options.StableAfter}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
