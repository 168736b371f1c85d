using Experiments.Core.Specs;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting;

/// <summary>Rejects a device or timing the worker cannot honour, at start rather than at the first trial.</summary>
public sealed class ValidateWorkerOptions : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        List<string> failures = [];
        // A worker trains on one real device; "auto" is what a trial asks for, not what a worker is.
        if (!TrainingDevice.TryParse(options.Device, out var device) || device.Kind == DeviceKind.Auto)
        {
            failures.Add($"{WorkerOptions.SectionName}:Device must be cpu, cuda or cuda:N (was '{options.Device}').");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{WorkerOptions.SectionName}:PollInterval must be positive.");
        }

        if (options.ReapInterval <= TimeSpan.Zero)
        {
            failures.Add($"{WorkerOptions.SectionName}:ReapInterval must be positive.");
        }

        if (options.CheckpointSpaceMargin < 0)
        {
            failures.Add($"{WorkerOptions.SectionName}:CheckpointSpaceMargin must be zero or more bytes (was {options.CheckpointSpaceMargin}).");
        }

        foreach (var (setting, interval) in new[]
        {
            (nameof(options.SpaceRetryInterval), options.SpaceRetryInterval),
            (nameof(options.CleanupInterval), options.CleanupInterval),
            (nameof(options.StrayFileAge), options.StrayFileAge),
            (nameof(options.ProgressInterval), options.ProgressInterval),
            (nameof(options.StallTimeout), options.StallTimeout),
        })
        {
            if (interval <= TimeSpan.Zero)
            {
                failures.Add($"{WorkerOptions.SectionName}:{setting} must be positive.");
            }
        }

        // The watchdog looks once per progress report: a timeout shorter than two reports could fire between two batches.
        if (options.ProgressInterval > TimeSpan.Zero && options.StallTimeout > TimeSpan.Zero && options.StallTimeout < 2 * options.ProgressInterval)
        {
            failures.Add($"{WorkerOptions.SectionName}:StallTimeout ({options.StallTimeout}) must be at least twice {WorkerOptions.SectionName}:ProgressInterval ({options.ProgressInterval}).");
        }

        if (!TrialProcessModes.All.Contains(options.TrialProcess))
        {
            failures.Add($"{WorkerOptions.SectionName}:TrialProcess must be {string.Join(" or ", TrialProcessModes.All)} (was '{options.TrialProcess}').");
        }

        if (options.TrainerCgroup is { } cgroup && TrainerCgroupFailure(cgroup, options.TrialProcess) is { } failure)
        {
            failures.Add(failure);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? TrainerCgroupFailure(string cgroup, string trialProcess)
    {
        const string Key = $"{WorkerOptions.SectionName}:{nameof(WorkerOptions.TrainerCgroup)}";
        if (!OperatingSystem.IsLinux())
        {
            return $"{Key} needs Linux cgroups; leave it unset here (was '{cgroup}').";
        }

        if (trialProcess != TrialProcessModes.Child)
        {
            return $"{Key} needs {WorkerOptions.SectionName}:TrialProcess child: an in-process trainer cannot be moved out of the worker (was '{cgroup}').";
        }

        return Path.IsPathRooted(cgroup) && File.Exists(Path.Combine(cgroup, "cgroup.procs"))
            ? null
            : $"{Key} must be an existing cgroup directory, one with a cgroup.procs file (was '{cgroup}'): create it first (e.g. mkdir /sys/fs/cgroup/trainers, or /sys/fs/cgroup/memory/trainers on cgroup v1) and set its memory limit.";
    }
}
