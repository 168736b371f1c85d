using System.Buffers;
using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Experiments.Dashboard.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.Dashboard.Ui.Checkpoints;

/// <summary>
/// Checkpoint downloads by id: a trial id and a checkpoint name (<c>best</c> or <c>last</c>) that the trial's record
/// commits (<see cref="TrialCheckpoints.Offered"/>). Nothing here takes a path, and a name the record does not
/// offer is a 404, so nothing can leave the root, and a file an attempt wrote after losing its lease is never served.
/// A session or the API key opens them (<see cref="ApiAccess"/>), so scripts can fetch checkpoints too.
/// </summary>
public static class CheckpointEndpoints
{
    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    public static string DownloadUrl(string trialId, string name) =>
        $"/checkpoints/{Uri.EscapeDataString(trialId)}/{Uri.EscapeDataString(name)}";

    public static IEndpointRouteBuilder MapCheckpointDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/checkpoints/{trialId}/{name}", async (string trialId, string name, IServiceProvider services, CancellationToken ct) =>
        {
            // The trial id's format is checked by StoreIdFilter; the name by IsId here.
            var checkpoints = services.GetService<CheckpointStore>();
            if (checkpoints is null || !IsId(name))
            {
                return Results.NotFound();
            }

            var record = await services.GetRequiredService<SweepStore>().GetTrialAsync(trialId, ct);
            var file = record is null ? null : TrialCheckpoints.Offered(record).Where(c => c.Name == name).Select(c => c.File).FirstOrDefault();
            if (file is null || !checkpoints.Exists(trialId, file))
            {
                return Results.NotFound();
            }

            try
            {
                // Committed files are never rewritten (each epoch's has a name of its own): the open file is one whole checkpoint.
                return Results.Stream(checkpoints.OpenRead(trialId, file), "application/octet-stream", name);
            }
            catch (FileNotFoundException)
            {
                // Retired between the check and the open (a newer epoch was committed meanwhile).
                return Results.NotFound();
            }
        }).RequireAuthorization(ApiAccess.DownloadPolicy).AddEndpointFilter<StoreIdFilter>();
        return endpoints;
    }

    /// <summary>Plain ids only: no separators, no <c>..</c>, nothing rooted.</summary>
    public static bool IsId(string value) =>
        value.Length is > 0 and <= 128 && !value.AsSpan().ContainsAnyExcept(IdChars) && value.Trim('.').Length > 0 && !value.Contains("..", StringComparison.Ordinal);
}
