using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Api;

/// <summary>An API without a key would let anyone on the network start or cancel work: refuse to start.</summary>
public sealed class ValidateApiOptions : IValidateOptions<ApiOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        List<string> failures = [];
        if (options.Key.Length < MinimumKeyLength)
        {
            failures.Add($"{ApiOptions.SectionName}:Key must be set to at least {MinimumKeyLength} characters (the AppHost generates one as the 'api-key' parameter).");
        }

        if (options.MaxSweepBytes is < 1024 or > 16_000_000)
        {
            failures.Add($"{ApiOptions.SectionName}:MaxSweepBytes must be between 1024 and 16000000 (was {options.MaxSweepBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
