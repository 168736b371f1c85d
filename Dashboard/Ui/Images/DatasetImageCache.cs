using Experiments.Core.Datasets;
using Experiments.Core.Specs;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Ui.Images;

/// <summary>
/// The decoded parts of data sets the pages are looking at, read from the shared data folder (never downloaded here),
/// kept a short while after the last look: a Trial page asks for sixteen images of one test part at once. One read per
/// part however many requests race for it; a failed read is forgotten at once, so a data set that arrives later is seen.
/// </summary>
public sealed class DatasetImageCache(IMemoryCache cache, IOptions<DataOptions> options)
{
    // A CIFAR-10 training part is 150 MB decoded: kept only while someone is looking.
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(2);

    public async Task<RawImageSet> GetAsync(TrainingConfig config, DatasetPart part, CancellationToken cancellationToken)
    {
        // Synthetic images depend on the config's seed and size; files only on the data set.
        var key = config.Dataset == Dataset.Synthetic
            ? (object)(config.Dataset, part, config.Seed, config.SyntheticSize)
            : (config.Dataset, part);
        var read = cache.GetOrCreate(key, entry =>
        {
            entry.SlidingExpiration = KeptFor;
            // Not tied to one request: the read goes on for the others waiting on it.
            return new Lazy<Task<RawImageSet>>(() => Task.Run(() => StoredImages.ReadAsync(config, part, options.Value, CancellationToken.None)));
        })!;
        try
        {
            return await read.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (read.Value.IsFaulted)
        {
            cache.Remove(key);
            throw;
        }
    }
}
