using System.Runtime.InteropServices;

namespace Experiments.GarnetStore;

/// <summary>Completes when the process is asked to stop (SIGINT or SIGTERM), so the server is disposed cleanly.</summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] registrations;

    public ShutdownSignal()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public Task Stopped => stopped.Task;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        stopped.TrySetResult();
    }
}
