using System.Diagnostics;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Experiments.Sweeps.Records;
using Experiments.Sweeps.Specs;

namespace Experiments.Dashboard.Ui.Submit;

/// <summary>
/// Checks and submits sweep files for the Submit page through the same path as <c>POST /api/sweeps</c>:
/// <see cref="SweepSpecParser.Parse"/> with the configured limits, then the store's atomic submit.
/// </summary>
public sealed class SweepSubmission(IDashboardStore store, SweepLimits limits, LiveFeed feed)
{
    public SpecCheck Check(string text, Throughput throughput)
    {
        SweepPlan plan;
        try
        {
            plan = SweepSpecParser.Parse(text, limits);
        }
        catch (SweepSpecException ex)
        {
            return SpecCheck.Invalid(ex.Errors);
        }

        var varying = VaryingParameters.Find(plan.Trials.Select(t => t.Parameters).ToList());
        return new SpecCheck([], new SweepPreview(plan, varying, DurationEstimator.Estimate(plan, throughput)));
    }

    public async Task<SubmittedSweep> SubmitAsync(SweepPlan plan, CancellationToken cancellationToken)
    {
        using var activity = DashboardTelemetry.ActivitySource.StartActivity("submit sweep", ActivityKind.Producer);
        activity?.SetTag("sweep.name", plan.Name);
        activity?.SetTag("sweep.trials", plan.Trials.Count);
        var submitted = await store.SubmitAsync(plan, activity?.Id, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("sweep.id", submitted.SweepId);
        feed.Invalidate();
        return submitted;
    }

    /// <summary>Throughput measured on the most recent sweeps that recorded epochs.</summary>
    public async Task<Throughput> MeasuredThroughputAsync(CancellationToken cancellationToken)
    {
        var sweeps = await feed.GetSweepsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var item in sweeps?.Sweeps.Take(3) ?? [])
        {
            var sweep = await feed.GetSweepAsync(item.Summary.Sweep.Id, cancellationToken).ConfigureAwait(false);
            var measured = DurationEstimator.Measure(sweep?.Trials ?? []);
            if (measured.Measured)
            {
                return measured;
            }
        }

        return Throughput.Assumed;
    }
}
