using System.Diagnostics;
using Experiments.Core;
using Experiments.Dashboard.Ui.Data;
using Experiments.Dashboard.Ui.Live;
using Experiments.Dashboard.Ui.Models;
using Experiments.Core.Records;
using Experiments.Core.Specs;

namespace Experiments.Dashboard.Ui.Submit;

/// <summary>
/// Checks and submits sweep files, for the Submit page and <c>POST /api/sweeps</c> alike:
/// <see cref="SweepSpecParser.Parse"/> with the configured limits, then the store's atomic submit.
/// </summary>
public sealed class SweepSubmission(IDashboardStore store, SweepLimits limits, LiveFeed feed)
{
    /// <summary>Parses, validates and expands with the configured limits.</summary>
    /// <exception cref="SweepSpecException">Every problem in the file, each with its path; nothing is stored.</exception>
    public SweepPlan Parse(string text) => SweepSpecParser.Parse(text, limits);

    public SpecCheck Check(string text, Throughput throughput)
    {
        SweepPlan plan;
        try
        {
            plan = Parse(text);
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
        activity?.SetTag(TelemetryTags.SweepName, plan.Name);
        activity?.SetTag(TelemetryTags.SweepTrials, plan.Trials.Count);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "send");
        // Trials carry this span's context so every trial's span joins the submitting request's trace.
        var submitted = await store.SubmitAsync(plan, activity?.Id, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(TelemetryTags.SweepId, submitted.SweepId);
        feed.Invalidate();
        return submitted;
    }

    /// <summary>
    /// Adds to a sweep the trials of its file, edited (more values, seeds or samples): those it does not run yet.
    /// The file becomes the sweep's source. Null when there is no such sweep.
    /// </summary>
    /// <exception cref="SweepSpecException">The file is invalid or changes what the sweep's trials share.</exception>
    /// <exception cref="Core.Records.SweepClosedException">The sweep was deleted or cancelled, or takes no added trials.</exception>
    public Task<GrownSweep?> AddFromSourceAsync(string sweepId, string text, CancellationToken cancellationToken) =>
        GrowAsync(sweepId, (sweep, trials) => GrowthPlanner.FromSource(sweep, [.. trials.Select(t => t.Config)], text, limits), cancellationToken);

    /// <summary>Adds <paramref name="count"/> new seeds to every configuration of a sweep; null when there is no such sweep.</summary>
    public Task<GrownSweep?> AddSeedsAsync(string sweepId, int count, CancellationToken cancellationToken) =>
        GrowAsync(sweepId, (_, trials) => GrowthPlanner.WithSeeds(trials, count, limits), cancellationToken);

    /// <summary>The sweep's file, to edit into a new sweep (clone with edits); null when there is no such sweep.</summary>
    public Task<string?> SourceAsync(string sweepId, CancellationToken cancellationToken) => store.GetSweepSourceAsync(sweepId, cancellationToken);

    private async Task<GrownSweep?> GrowAsync(string sweepId, Func<SweepRecord, IReadOnlyList<TrialRecord>, GrowthPlan> plan, CancellationToken cancellationToken)
    {
        using var activity = DashboardTelemetry.ActivitySource.StartActivity("add trials", ActivityKind.Producer);
        activity?.SetTag(TelemetryTags.SweepId, sweepId);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "send");
        // Added trials join this span's trace, as a submit's trials join the submitting request's.
        var grown = await store.AddTrialsAsync(sweepId, plan, activity?.Id, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(TelemetryTags.SweepTrials, grown?.AddedTrialIds.Count ?? 0);
        feed.Invalidate(sweepId: sweepId);
        return grown;
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
