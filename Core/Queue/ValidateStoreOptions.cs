using Microsoft.Extensions.Options;

namespace Experiments.Core.Queue;

/// <summary>Fails start-up on a store configuration that would make the queue unsafe.</summary>
public sealed class ValidateStoreOptions : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{StoreOptions.SectionName}:KeyPrefix must not be empty.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{StoreOptions.SectionName}:LeaseDuration must be at least 1 second (was {options.LeaseDuration}).");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{StoreOptions.SectionName}:MaxAttempts must be between 1 and 100 (was {options.MaxAttempts}).");
        }

        if (options.MaxInterruptions is < 1 or > 1000)
        {
            failures.Add($"{StoreOptions.SectionName}:MaxInterruptions must be between 1 and 1000 (was {options.MaxInterruptions}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
