using System.Diagnostics;
using Experiments.Core.Checkpoints;
using Experiments.Dashboard.Ui.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Experiments.Dashboard.Ui.Data;

/// <summary>
/// Deletes a sweep for the Sweep page and <c>DELETE /api/sweeps/{id}</c> alike: its records go from the store
/// (gone from every page at once), then the checkpoint folders of its trials under this Dashboard's checkpoint
/// root, when it has one. Workers remove whatever remains on their own volumes (other machines, or a folder a
/// running trial wrote into meanwhile).
/// </summary>
public sealed partial class SweepDeletion(IDashboardStore store, LiveFeed feed, IServiceProvider services, ILogger<SweepDeletion> logger)
{
    private readonly CheckpointStore? checkpoints = services.GetService<CheckpointStore>();

    /// <summary>False when there is no such sweep.</summary>
    public async Task<bool> DeleteAsync(string sweepId, CancellationToken cancellationToken)
    {
        using var activity = DashboardTelemetry.ActivitySource.StartActivity("delete sweep");
        activity?.SetTag("experiments.sweep.id", sweepId);
        var deleted = await store.DeleteSweepAsync(sweepId, cancellationToken).ConfigureAwait(false);
        if (deleted is null)
        {
            return false;
        }

        feed.Invalidate(sweepId: sweepId);
        var left = 0;
        if (checkpoints is not null)
        {
            foreach (var trialId in deleted.TrialIds)
            {
                try
                {
                    left += checkpoints.DeleteTrial(trialId) ? 0 : 1;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    left++;
                }
            }
        }

        activity?.SetTag("experiments.sweep.trials", deleted.TrialIds.Count);
        LogDeleted(logger, sweepId, deleted.TrialIds.Count, left);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted sweep {SweepId} with {Trials} trials; {Left} checkpoint folders left for the workers to remove")]
    private static partial void LogDeleted(ILogger logger, string sweepId, int trials, int left);
}
