using Experiments.Core.Queue;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Experiments.Dashboard.Api;

/// <summary>
/// Checks every id a route takes against the store's id format before the handler runs: a malformed id is a 404
/// problem, like an unknown one, and never reaches a key. Which parameter is which comes from the route itself
/// (<c>{sweepId}</c>, <c>{trialId}</c>, or <c>{id}</c> after <c>sweeps/</c> or <c>trials/</c>), so routes added
/// later are covered; an id parameter it cannot place fails loudly instead of going unchecked.
/// </summary>
public sealed class StoreIdFilter : IEndpointFilter
{
    private enum IdKind
    {
        None,
        Sweep,
        Trial,
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern })
        {
            foreach (var parameter in pattern.Parameters)
            {
                var kind = KindOf(pattern, parameter);
                var value = http.Request.RouteValues[parameter.Name] as string ?? "";
                if (kind == IdKind.Sweep && !StoreIds.IsSweepId(value))
                {
                    return ValueTask.FromResult<object?>(NotFound($"'{value}' is not a sweep id ({StoreIds.SweepIdFormat})."));
                }

                if (kind == IdKind.Trial && !StoreIds.IsTrialId(value))
                {
                    return ValueTask.FromResult<object?>(NotFound($"'{value}' is not a trial id ({StoreIds.TrialIdFormat})."));
                }
            }
        }

        return next(context);
    }

    private static IdKind KindOf(RoutePattern pattern, RoutePatternParameterPart parameter)
    {
        if (parameter.Name.Equals("sweepId", StringComparison.OrdinalIgnoreCase))
        {
            return IdKind.Sweep;
        }

        if (parameter.Name.Equals("trialId", StringComparison.OrdinalIgnoreCase))
        {
            return IdKind.Trial;
        }

        if (!parameter.Name.EndsWith("id", StringComparison.OrdinalIgnoreCase))
        {
            return IdKind.None;
        }

        var segment = pattern.PathSegments.ToList().FindIndex(s => s.Parts.Contains(parameter));
        var previous = segment > 0 && pattern.PathSegments[segment - 1].Parts is [RoutePatternLiteralPart literal] ? literal.Content : null;
        return previous switch
        {
            "sweeps" => IdKind.Sweep,
            "trials" => IdKind.Trial,
            _ => throw new InvalidOperationException(
                $"Route '{pattern.RawText}' takes '{{{parameter.Name}}}', which is neither a sweep nor a trial id: name it sweepId or trialId so it is checked."),
        };
    }

    internal static IResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
