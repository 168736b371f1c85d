using System.Diagnostics;
using System.Globalization;

namespace Experiments.EarlyStop;

/// <summary>
/// Optuna's pruners in a Python process (optuna_oracle.py) that reads the same curves file and looks values up
/// itself; we only tell it which trial reported which epoch, and it answers with its pruner's verdict.
/// </summary>
internal sealed class OptunaPruner : IPruner, IDisposable
{
    private readonly Process _process;

    public OptunaPruner(string python, string curvesPath, string settings)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "optuna_oracle.py");
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { script, curvesPath, settings },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        Version = Ask("version");
    }

    public string Version { get; }

    public void BeginSweep(SimulatedSweep sweep, string rule) => Send($"sweep {sweep.Index.ToString(CultureInfo.InvariantCulture)} {rule}");

    public void StartTrial(int trial) => Send($"start {trial.ToString(CultureInfo.InvariantCulture)}");

    public bool ShouldStop(int trial, int epoch) =>
        Ask($"report {trial.ToString(CultureInfo.InvariantCulture)} {epoch.ToString(CultureInfo.InvariantCulture)}") switch
        {
            "prune" => true,
            "continue" => false,
            var other => throw new InvalidOperationException($"optuna_oracle.py answered '{other}'."),
        };

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Send("quit");
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Send(string line) => _process.StandardInput.WriteLine(line);

    private string Ask(string line)
    {
        Send(line);
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("optuna_oracle.py exited; see its error above.");
    }
}
