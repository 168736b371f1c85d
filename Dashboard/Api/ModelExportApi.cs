using Experiments.Core.Checkpoints;
using Experiments.Core.Queue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Experiments.Dashboard.Api;

/// <summary>
/// <c>GET /api/trials/{id}/model.pt?checkpoint=best|last</c>: a trial's stored checkpoint as a PyTorch state dict
/// (<c>torch.load</c> + <c>torchvision.models.resnet34(num_classes=10).load_state_dict(sd, strict=True)</c> for the
/// imagenet stem). Without <c>checkpoint</c> it is the headline one: best when kept, else last. Checkpoints are named
/// by the fixed set, never by a path.
/// </summary>
public static class ModelExportApi
{
    private static readonly string[] Names = ["best", "last"];

    public static string Url(string trialId, string checkpoint) =>
        $"/api/trials/{Uri.EscapeDataString(trialId)}/model.pt?checkpoint={Uri.EscapeDataString(checkpoint)}";

    /// <summary>Whether a stored checkpoint of this name can be exported (the Trial page links only those).</summary>
    public static bool Exports(string checkpoint) => Names.Contains(checkpoint, StringComparer.Ordinal);

    public static RouteGroupBuilder MapModelExport(this RouteGroupBuilder api)
    {
        api.MapGet("/trials/{id}/model.pt", ExportAsync);
        return api;
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportAsync(
        string id, string? checkpoint, SweepStore store, IServiceProvider services, CancellationToken ct)
    {
        if (checkpoint is not null && !Exports(checkpoint))
            return Problem(StatusCodes.Status400BadRequest, "Bad checkpoint", $"checkpoint: must be one of {string.Join(", ", Names)}, not '{checkpoint}'.");
        if (await store.GetTrialAsync(id, ct) is not { } record)
            return Problem(StatusCodes.Status404NotFound, "Not found", $"No trial '{id}'.");
        var checkpoints = services.GetService<CheckpointStore>();
        // Only what the trial's record commits: a file written by an attempt that lost its lease is never exported.
        var stored = checkpoints is null ? [] : TrialCheckpoints.Offered(record).Where(c => checkpoints.Exists(id, c.File)).ToList();
        var (name, file) = stored.FirstOrDefault(c => checkpoint is null || c.Name == checkpoint);
        if (checkpoints is null || name is null || file is null)
            return Problem(StatusCodes.Status404NotFound, "Not found", $"Trial '{id}' has no stored {(checkpoint is null ? "" : $"'{checkpoint}' ")}checkpoint.");

        // Converted into a temporary file first: a damaged checkpoint is a problem response, not a cut-off download.
        var converted = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            // Checkpoints are written by rename, so the open file is one whole checkpoint even while the trial runs.
            await using (var source = checkpoints.OpenRead(id, file))
                CheckpointFormat.ExportModel(source, converted);
            converted.Position = 0;
            return TypedResults.File(converted, "application/octet-stream", $"{id}-{name}.pt");
        }
        catch (FileNotFoundException)
        {
            // Removed between the check and the open: a newer epoch was committed and superseded it.
            await converted.DisposeAsync();
            return Problem(StatusCodes.Status404NotFound, "Not found", $"Trial '{id}''s '{name}' checkpoint was just replaced; ask again.");
        }
        catch (InvalidDataException damaged)
        {
            await converted.DisposeAsync();
            return Problem(StatusCodes.Status500InternalServerError, "Checkpoint unreadable", $"Trial '{id}''s '{name}' checkpoint cannot be read: {damaged.Message}");
        }
        catch
        {
            await converted.DisposeAsync();
            throw;
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
