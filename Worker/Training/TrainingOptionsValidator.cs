using Experiments.Core.Checkpoints;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Training;

internal sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>, IValidateOptions<CheckpointOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        List<string> failures = [];
        if (options.Threads < 0 || options.Threads > Environment.ProcessorCount * 4)
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.Threads)} must be 0 (default) or a thread count up to {Environment.ProcessorCount * 4}.");
        if (options.TestHangInBatch is < 1)
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.TestHangInBatch)} must be a batch number from 1 (was {options.TestHangInBatch}); leave it unset outside tests.");
        if (options.TestCrashInBatch is < 1)
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.TestCrashInBatch)} must be a batch number from 1 (was {options.TestCrashInBatch}); leave it unset outside tests.");
        if (options.TestHangInStart && (options.TestHangInBatch ?? options.TestCrashInBatch) is not null)
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.TestHangInStart)} holds the trainer before its first batch: {nameof(TrainingOptions.TestHangInBatch)} and {nameof(TrainingOptions.TestCrashInBatch)} would never be reached; set one of them only.");
        if (!NativeCrash.All.Contains(options.TestCrash))
            failures.Add($"{TrainingOptions.SectionName}:{nameof(TrainingOptions.TestCrash)} must be {string.Join(", ", NativeCrash.All)} (was '{options.TestCrash}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, CheckpointOptions options) =>
        string.IsNullOrWhiteSpace(options.Root)
            ? ValidateOptionsResult.Fail($"{CheckpointOptions.RootKey} is required: the folder (a shared mount for workers on several machines) where checkpoints go.")
            : ValidateOptionsResult.Success;
}
