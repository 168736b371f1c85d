using Experiments.Core.Tests.Fixtures;
using Experiments.Tests.Shared;

namespace Experiments.EndToEnd.Tests.Chaos;

/// <summary>
/// A chaos test's own store server and work folder (worker logs, checkpoints, data sets): the store starts before each
/// test; after it, what runs against the store stops first, then the store, then the folder is deleted.
/// </summary>
public abstract class OwnStoreAndFolder<TStore>(string folderPrefix) : IAsyncLifetime
    where TStore : StoreServer
{
    private TStore? _store;

    private protected string WorkDirectory { get; } = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    private protected TStore Store => _store ?? throw new InvalidOperationException("The store has not started.");

    public async Task InitializeAsync()
    {
        _store = CreateStore();
        if (_store is not null)
        {
            await _store.InitializeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        StopBeforeStore();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        CleanUpAfterStore();
        IsolatedAppHost.DeleteDataDirectory(WorkDirectory);
    }

    /// <summary>The store this class runs, or null where its test cannot run here (it then skips, saying why).</summary>
    private protected abstract TStore? CreateStore();

    /// <summary>Stops what the test left running against the store (e.g. worker processes).</summary>
    private protected virtual void StopBeforeStore()
    {
    }

    /// <summary>Removes what the store needed while it ran (e.g. the network it listened on).</summary>
    private protected virtual void CleanUpAfterStore()
    {
    }
}
