using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Ui.Checkpoints;

/// <summary>
/// The checkpoints of a trial the Trial page links (best, then last): those its record committed whose files exist;
/// empty when no checkpoint store is configured. Files an attempt wrote that no commit names are never listed.
/// </summary>
public sealed partial class CheckpointList(IServiceProvider services, ILogger<CheckpointList> logger)
{
    private readonly CheckpointStore? _store = services.GetService<CheckpointStore>();

    public IReadOnlyList<string> Names(TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_store is null || !CheckpointEndpoints.IsId(record.Id))
        {
            return [];
        }

        try
        {
            return [.. TrialCheckpoints.Offered(record).Where(c => _store.Exists(record.Id, c.File)).Select(c => c.Name)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotImplementedException or ArgumentException)
        {
            LogListFailed(logger, record.Id, ex);
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
