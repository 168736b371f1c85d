using System.Globalization;
using Experiments.Dashboard.Ui.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Experiments.Dashboard.Api;

/// <summary>
/// A request that failed because the store does not answer gets 503 problem details with <c>Retry-After</c>, on
/// every route: the outage is temporary and says nothing about the request, unlike a 500.
/// </summary>
internal sealed partial class StoreUnavailableHandler(IProblemDetailsService problems, ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StoreUnavailable.Is(exception))
        {
            return false;
        }

        // The message names the store's address, not its password; handled exceptions are not logged by the middleware.
        LogStoreUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)StoreUnavailable.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = StoreUnavailable.Title, Detail = StoreUnavailable.Message },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the store is unavailable ({ExceptionType}: {Reason})")]
    private static partial void LogStoreUnavailable(ILogger logger, string method, string path, string exceptionType, string reason);
}
