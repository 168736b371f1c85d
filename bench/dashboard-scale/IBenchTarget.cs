namespace Experiments.DashboardScale;

/// <summary>A running Dashboard serving the scale sweeps.</summary>
internal interface IBenchTarget : IAsyncDisposable
{
    Uri BaseAddress { get; }
    string Token { get; }

    /// <summary>Each scale sweep's size and page path, smallest first.</summary>
    IReadOnlyList<(int Trials, string Path)> Sweeps { get; }

    /// <summary>How many sweeps the Sweeps list holds.</summary>
    int SweepCount { get; }
}
