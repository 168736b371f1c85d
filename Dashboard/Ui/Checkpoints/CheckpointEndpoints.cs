using System.Buffers;
using Experiments.Core.Checkpoints;
using Experiments.Dashboard.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Experiments.Dashboard.Ui.Checkpoints;

/// <summary>
/// Checkpoint downloads by id: a trial id and a checkpoint name that the store itself lists for that trial.
/// Nothing here takes a path, and a name not in the trial's list is a 404, so nothing can leave the root.
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
        endpoints.MapGet("/checkpoints/{trialId}/{name}", (string trialId, string name, IServiceProvider services) =>
        {
            // The trial id's format is checked by StoreIdFilter; the name by IsId here.
            var checkpoints = services.GetService<CheckpointStore>();
            if (checkpoints is null || !IsId(name))
            {
                return Results.NotFound();
            }

            if (!checkpoints.List(trialId).Any(c => string.Equals(c.Name, name, StringComparison.Ordinal)))
            {
                return Results.NotFound();
            }

            return Results.Stream(checkpoints.OpenRead(trialId, name), "application/octet-stream", name);
        }).RequireAuthorization(ApiAccess.DownloadPolicy).AddEndpointFilter<StoreIdFilter>();
        return endpoints;
    }

    /// <summary>Plain ids only: no separators, no <c>..</c>, nothing rooted.</summary>
    public static bool IsId(string value) =>
        value.Length is > 0 and <= 128 && !value.AsSpan().ContainsAnyExcept(IdChars) && value.Trim('.').Length > 0 && !value.Contains("..", StringComparison.Ordinal);
}
