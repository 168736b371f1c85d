namespace Experiments.Dashboard.Ui.Models;

/// <summary>The Sweeps page's filter and page: name (or id) text, state, created-on date range, page number from 1.</summary>
public sealed record SweepQuery(string? Text = null, SweepState? State = null, DateOnly? From = null, DateOnly? To = null, int Page = 1, int PageSize = SweepQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 50;

    /// <summary>The matching sweeps' requested page (clamped to the last page), newest first as given.</summary>
    public SweepPage Apply(IReadOnlyList<SweepListItem> sweeps)
    {
        var matching = sweeps.Where(Matches).ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        var page = Math.Clamp(Page, 1, pages);
        return new SweepPage([.. matching.Skip((page - 1) * PageSize).Take(PageSize)], matching.Count, sweeps.Count, page, pages);
    }

    private bool Matches(SweepListItem item)
    {
        var sweep = item.Summary.Sweep;
        if (State is { } state && item.State != state)
        {
            return false;
        }

        // Days as the page shows them (server local time, like MetricFormat.When).
        var created = DateOnly.FromDateTime(sweep.CreatedAt.ToLocalTime().DateTime);
        if ((From is { } from && created < from) || (To is { } to && created > to))
        {
            return false;
        }

        return string.IsNullOrWhiteSpace(Text)
            || sweep.Name.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase)
            || sweep.Id.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>One page of the filtered sweeps list.</summary>
public sealed record SweepPage(IReadOnlyList<SweepListItem> Items, int Matching, int Total, int Page, int Pages);
