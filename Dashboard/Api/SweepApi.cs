using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Search;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Submit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Api;

/// <summary>The HTTP API: submit sweeps, read records, cancel, requeue and delete. See <see cref="ApiAccess"/> for who may call it.</summary>
public static class SweepApi
{
    private static readonly string[] AcceptedMediaTypes =
        ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];

    public static IEndpointRouteBuilder MapSweepApi(this IEndpointRouteBuilder endpoints)
    {
        // Every route, present or added later, gets the access rule (key, or a session for reads) and the id check.
        var api = endpoints.MapGroup("/api").WithTags("Sweeps")
            .RequireAuthorization(ApiAccess.ApiPolicy)
            .AddEndpointFilter<StoreIdFilter>()
            // Key-authenticated: a cross-site form cannot send the header, and sessions cannot change state here.
            .DisableAntiforgery();

        api.MapPost("/sweeps", SubmitAsync);
        api.MapPost("/sweeps/{id}/cancel", async Task<Results<Ok<ControlResult>, ProblemHttpResult>> (string id, SweepStore store, CancellationToken ct) =>
            await store.GetSweepAsync(id, ct) is null
                ? NotFound($"No sweep '{id}'.")
                : TypedResults.Ok(new ControlResult(id, await store.CancelSweepAsync(id, ct))));
        api.MapDelete("/sweeps/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, SweepDeletion deletion, CancellationToken ct) =>
            await deletion.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound($"No sweep '{id}'."));
        api.MapPost("/trials/{id}/cancel", async Task<Results<Ok<ControlResult>, ProblemHttpResult>> (string id, SweepStore store, CancellationToken ct) =>
            await store.GetTrialAsync(id, ct) is null ? NotFound($"No trial '{id}'.")
            : await store.CancelTrialAsync(id, ct) ? TypedResults.Ok(new ControlResult(id, 1))
            : Conflict($"Trial '{id}' has already ended."));
        api.MapPost("/trials/{id}/requeue", async Task<Results<Ok<ControlResult>, ProblemHttpResult>> (string id, SweepStore store, CancellationToken ct) =>
            await store.GetTrialAsync(id, ct) is null ? NotFound($"No trial '{id}'.")
            : await store.RequeueTrialAsync(id, ct) ? TypedResults.Ok(new ControlResult(id, 1))
            : Conflict($"Trial '{id}' is not failed, diverged or cancelled; only those can be requeued."));

        api.MapModelExport();
        api.MapDatasetImages();
        api.MapSweepGrowth();
        api.MapGet("/sweeps", ListAsync);
        api.MapGet("/sweeps/{id}", async Task<Results<Ok<SweepDetails>, ProblemHttpResult>> (string id, SweepStore store, CancellationToken ct) =>
        {
            var sweep = await store.GetSweepAsync(id, ct);
            return sweep is null
                ? NotFound($"No sweep '{id}'.")
                : TypedResults.Ok(new SweepDetails(sweep, await store.GetTrialsAsync(id, ct)));
        });
        api.MapGet("/sweeps/{id}/importance", ImportanceAsync);
        api.MapGet("/trials/{id}", async Task<Results<Ok<TrialDetails>, ProblemHttpResult>> (string id, SweepStore store, CancellationToken ct) =>
        {
            var trial = await store.GetTrialAsync(id, ct);
            return trial is null
                ? NotFound($"No trial '{id}'.")
                : TypedResults.Ok(new TrialDetails(trial, await store.GetEpochsAsync(id, ct), await store.GetDecisionsAsync(id, ct)));
        });
        return endpoints;
    }

    private static async Task<Results<Created<SubmittedSweep>, ProblemHttpResult, ValidationProblem>> SubmitAsync(
        HttpRequest request, SweepSubmission submission, IOptions<ApiOptions> options, CancellationToken ct)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not null && !AcceptedMediaTypes.Contains(mediaType))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type",
                detail: $"Send the sweep file as YAML or JSON ({string.Join(", ", AcceptedMediaTypes)}), not '{mediaType}'.");
        }

        var text = await SweepBodyReader.ReadAsync(request, options.Value.MaxSweepBytes, ct);
        if (text.Problem is { } problem)
        {
            return problem;
        }

        SweepPlan plan;
        try
        {
            plan = submission.Parse(text.Text!);
        }
        catch (SweepSpecException ex)
        {
            return TypedResults.ValidationProblem(
                ex.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The sweep file is not valid",
                detail: $"{ex.Errors.Count} problem(s); nothing was queued.");
        }

        var submitted = await submission.SubmitAsync(plan, ct);
        return TypedResults.Created($"/api/sweeps/{submitted.SweepId}", submitted);
    }

    /// <summary>fANOVA importance and rank correlation of each varied parameter over the sweep's completed trials.</summary>
    private static async Task<Results<Ok<SweepImportanceResponse>, ProblemHttpResult>> ImportanceAsync(
        string id, SweepStore store, ImportanceCache cache, CancellationToken ct)
    {
        var sweep = await store.GetSweepAsync(id, ct);
        if (sweep is null)
        {
            return NotFound($"No sweep '{id}'.");
        }

        var trials = await store.GetTrialsAsync(id, ct);
        var report = await cache.GetAsync(sweep, trials, async completed =>
        {
            var reads = completed.Select(t => store.GetEpochsAsync(t.Id, ct)).ToArray();
            var epochs = await Task.WhenAll(reads);
            return completed.Select((t, i) => (t.Id, epochs[i])).ToDictionary(p => p.Id, p => p.Item2);
        });
        return TypedResults.Ok(new SweepImportanceResponse(id, report.Trials, report.Parameters, report.Unavailable));
    }

    private static async Task<Ok<IReadOnlyList<SweepListItem>>> ListAsync(SweepStore store, CancellationToken ct, int skip = 0, int take = 100)
    {
        var sweeps = await store.ListSweepsAsync(Math.Max(0, skip), Math.Clamp(take, 1, 1000), ct);
        IReadOnlyList<SweepListItem> items = sweeps
            .Select(s => new SweepListItem(
                s.Sweep.Id,
                s.Sweep.Name,
                s.Sweep.Method,
                s.Sweep.CreatedAt,
                s.Sweep.TrialIds.Count,
                s.StatusCounts.ToDictionary(c => c.Key.ToString().ToLowerInvariant(), c => c.Value),
                s.Running)
            {
                Metric = s.Sweep.Metric,
            })
            .ToList();
        return TypedResults.Ok(items);
    }

    private static ProblemHttpResult NotFound(string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    private static ProblemHttpResult Conflict(string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to change", detail: detail);
}
