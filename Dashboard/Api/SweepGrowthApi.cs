using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Submit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Api;

/// <summary>
/// <c>POST /api/sweeps/{id}/trials</c>: a sweep grows, either by its file edited (the body: more values, seeds or
/// samples; the trials it does not have yet are added) or by <c>?seeds=N</c> (no body: N new seeds for every
/// configuration). A configuration the sweep already runs is left out and counted, never run twice.
/// </summary>
public static class SweepGrowthApi
{
    public static RouteGroupBuilder MapSweepGrowth(this RouteGroupBuilder api)
    {
        api.MapPost("/sweeps/{id}/trials", AddAsync);
        return api;
    }

    private static async Task<Results<Ok<GrownSweep>, ProblemHttpResult, ValidationProblem>> AddAsync(
        string id, int? seeds, HttpRequest request, SweepStore store, SweepSubmission submission, IOptions<ApiOptions> options, CancellationToken ct)
    {
        // The sweep first, as every route answers: an unknown id is a 404 and an unreachable store a 503, whatever the body.
        if (await store.GetSweepSummaryAsync(id, ct) is null)
        {
            return (await store.FindDeletedAsync([id], ct)).Count > 0 ? Closed($"Sweep '{id}' was deleted; it takes no more trials.") : NotFound(id);
        }

        GrownSweep? grown;
        try
        {
            if (seeds is { } count)
            {
                if (request.ContentLength > 0)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Two requests in one",
                        detail: "Send either the sweep's file, edited, as the body, or ?seeds=N without a body.");
                }

                grown = await submission.AddSeedsAsync(id, count, ct);
            }
            else
            {
                var text = await SweepBodyReader.ReadAsync(request, options.Value.MaxSweepBytes, ct);
                if (text.Problem is { } problem)
                {
                    return problem;
                }

                grown = await submission.AddFromSourceAsync(id, text.Text!, ct);
            }
        }
        catch (SweepSpecException ex)
        {
            return TypedResults.ValidationProblem(
                ex.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "No trials were added",
                detail: $"{ex.Errors.Count} problem(s); nothing was queued.");
        }
        catch (SweepClosedException ex)
        {
            return Closed(ex.Message);
        }

        return grown is null ? NotFound(id) : TypedResults.Ok(grown);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No sweep '{id}'.");

    private static ProblemHttpResult Closed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The sweep takes no trials", detail: detail);
}
