using Microsoft.Extensions.Options;

namespace Experiments.Worker.Training;

internal sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.CheckpointRoot))
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.CheckpointRoot)} is required.");
        if (options.Threads < 0 || options.Threads > Environment.ProcessorCount * 4)
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.Threads)} must be 0 (default) or a thread count up to {Environment.ProcessorCount * 4}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
