using System.Diagnostics;
using Experiments.Sweeps.Queue;
using Experiments.Sweeps.Records;
using Experiments.Sweeps.Specs;

namespace Experiments.Dashboard.Api;

/// <summary>
/// The one path from a sweep file to queued trials, shared by <c>POST /api/sweeps</c> and the Submit page:
/// parse, validate, expand, then one atomic store write carrying the caller's trace context.
/// </summary>
public sealed class SweepSubmission(SweepStore store, SweepLimits limits)
{
    /// <summary>Parses and validates without storing anything (the Submit page's preview).</summary>
    /// <exception cref="SweepSpecException">Every problem in the file, each with its path.</exception>
    public SweepPlan Preview(string text) => SweepSpecParser.Parse(text, limits);

    /// <exception cref="SweepSpecException">Every problem in the file, each with its path; nothing is stored.</exception>
    public async Task<SubmittedSweep> SubmitAsync(string text, CancellationToken cancellationToken)
    {
        var plan = Preview(text);
        using var activity = DashboardTelemetry.ActivitySource.StartActivity("submit sweep", ActivityKind.Producer);
        activity?.SetTag("experiments.sweep.name", plan.Name);
        activity?.SetTag("experiments.sweep.trials", plan.Trials.Count);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "send");
        // Trials carry this span's context so every trial's span joins the submit request's trace.
        var traceParent = Activity.Current?.Id;
        var submitted = await store.SubmitAsync(plan, traceParent, cancellationToken);
        activity?.SetTag("experiments.sweep.id", submitted.SweepId);
        return submitted;
    }
}
