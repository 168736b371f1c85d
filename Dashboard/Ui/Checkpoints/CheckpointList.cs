using Experiments.Core.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Ui.Checkpoints;

/// <summary>The names of a trial's stored checkpoints for the Trial page; empty when no checkpoint store is configured.</summary>
public sealed partial class CheckpointList(IServiceProvider services, ILogger<CheckpointList> logger)
{
    private readonly CheckpointStore? _store = services.GetService<CheckpointStore>();

    public IReadOnlyList<string> Names(string trialId)
    {
        if (_store is null || !CheckpointEndpoints.IsId(trialId))
        {
            return [];
        }

        try
        {
            return _store.List(trialId).Select(c => c.Name).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotImplementedException)
        {
            LogListFailed(logger, trialId, ex);
            return [];
        }
    }

    /// <summary>Whether the trial's worker has written the picture of its first augmented batch.</summary>
    public bool HasAugmentedBatch(string trialId)
    {
        try
        {
            return _store is not null && CheckpointEndpoints.IsId(trialId) && _store.ImageExists(trialId, AugmentedBatch.ImageName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogListFailed(logger, trialId, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing checkpoints of trial {TrialId} failed")]
    private static partial void LogListFailed(ILogger logger, string trialId, Exception exception);
}
