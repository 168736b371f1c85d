namespace Experiments.Dashboard.Api;

/// <summary>The HTTP API's settings; bound from the <c>Api</c> section (the AppHost passes a generated key).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Required in the <c>X-Api-Key</c> header of every call (a signed-in session may also read); see <see cref="ApiAccess"/>.</summary>
    public string Key { get; set; } = "";

    /// <summary>Largest sweep file accepted, in bytes.</summary>
    public int MaxSweepBytes { get; set; } = 1_000_000;
}
