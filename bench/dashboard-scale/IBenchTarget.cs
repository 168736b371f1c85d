namespace Experiments.DashboardScale;

/// <summary>A running Dashboard serving the scale sweep.</summary>
internal interface IBenchTarget : IAsyncDisposable
{
    Uri BaseAddress { get; }
    string Token { get; }
    string SweepPath { get; }
}
