using System.Text;
using Experiments.Dashboard.Api;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Experiments.Dashboard.Ui.Export;

/// <summary>Downloads of a sweep's trial table: <c>/export/sweeps/{id}.csv</c> and <c>.json</c>, with a session or the API key.</summary>
public static class ExportEndpoints
{
    public static string Url(string sweepId, string format) => $"/export/sweeps/{Uri.EscapeDataString(sweepId)}.{format}";

    public static IEndpointRouteBuilder MapSweepExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/export/sweeps/{sweepId}.{format}", async (string sweepId, string format, LiveFeed feed, CancellationToken cancellationToken) =>
        {
            if (format is not ("csv" or "json"))
            {
                return Results.NotFound();
            }

            var snapshot = await feed.GetSweepAsync(sweepId, cancellationToken);
            if (snapshot is null)
            {
                return Results.NotFound();
            }

            var table = SweepTable.Build(snapshot);
            var fileName = $"{Safe(snapshot.Sweep.Name)}-{Safe(sweepId)}.{format}";
            return format == "csv"
                ? Results.File(Encoding.UTF8.GetBytes(TrialExport.ToCsv(table)), "text/csv; charset=utf-8", fileName)
                : Results.File(Encoding.UTF8.GetBytes(TrialExport.ToJson(table)), "application/json", fileName);
        }).RequireAuthorization(ApiAccess.DownloadPolicy).AddEndpointFilter<StoreIdFilter>();
        return endpoints;
    }

    private static string Safe(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(60).ToArray());
}
