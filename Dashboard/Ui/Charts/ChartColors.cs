namespace Experiments.Dashboard.Ui.Charts;

/// <summary>The few colours the figures use; the rest (text, grid, background) comes from the page theme in JS.</summary>
public static class ChartColors
{
    public const string Accent = "#0f6cbd";
    public const string Best = "#e3008c";
    public const string Muted = "rgba(98, 137, 180, 0.35)";
    public const string Train = "#8764b8";
    public const string Validation = "#0f6cbd";
    public const string Test = "#ca5010";

    /// <summary>Pruned trials' stops and the rung cuts that stopped them (the <c>--pruned</c> of the page theme).</summary>
    public const string Pruned = "#5c2e91";

    public static readonly string[] Palette =
        ["#0f6cbd", "#e3008c", "#00a67e", "#ca5010", "#8764b8", "#038387", "#c239b3", "#986f0b", "#4f6bed", "#d13438"];
}
