using System.Globalization;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;
using Experiments.Core.Datasets.Files;
using Experiments.Core.Queue;
using Experiments.Core.Records;
using Experiments.Core.Specs;
using Experiments.Dashboard.Ui.Images;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Experiments.Dashboard.Api;

/// <summary>
/// The notebook's look at the data, over HTTP: a data set's images with their class names, and the test images a
/// trial's evaluated checkpoint got most wrong. Images are named by data set, part and index, or by trial, checkpoint
/// and rank; the server finds the files from its own data folder and the trial's own config, never from a path.
/// </summary>
public static partial class DatasetImagesApi
{
    /// <summary>Most images one samples call lists.</summary>
    public const int MaxSamples = 64;

    private const int DefaultSamples = 32;

    public static string ImageUrl(Dataset dataset, DatasetPart part, int index, int? seed = null) =>
        $"/api/datasets/{dataset.ToSpelling()}/images/{Spell(part)}/{index}.png" + (seed is { } s ? $"?seed={s}" : "");

    public static string MostWrongUrl(string trialId, string checkpoint, int rank) =>
        $"/api/trials/{Uri.EscapeDataString(trialId)}/most-wrong/{Uri.EscapeDataString(checkpoint)}/{rank}.png";

    public static string AugmentedBatchUrl(string trialId) => $"/api/trials/{Uri.EscapeDataString(trialId)}/augmented.png";

    public static RouteGroupBuilder MapDatasetImages(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets/{name}/samples", SamplesAsync);
        api.MapGet("/datasets/{name}/images/{split}/{index}.png", ImageAsync);
        api.MapGet("/trials/{id}/most-wrong/{checkpoint}/{rank}.png", MostWrongAsync);
        api.MapGet("/trials/{id}/augmented.png", AugmentedBatchAsync);
        return api;
    }

    /// <summary>The trial's first augmented training batch, as its worker wrote it when training started (<see cref="AugmentedBatch"/>).</summary>
    private static async Task<IResult> AugmentedBatchAsync(string id, SweepStore store, IServiceProvider services, HttpResponse response, CancellationToken ct)
    {
        if (await store.GetTrialAsync(id, ct) is not { } trial)
            return StoreIdFilter.NotFound($"No trial '{id}'.");
        var checkpoints = services.GetService<CheckpointStore>();
        if (checkpoints is null || !checkpoints.ImageExists(id, AugmentedBatch.ImageName))
            return StoreIdFilter.NotFound(
                $"Trial '{id}' has no augmented batch (augmentation: {trial.Config.Augmentation.ToSpelling()}): its worker writes one when the trial starts training.");
        response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(checkpoints.OpenImage(id, AugmentedBatch.ImageName), PngImage.ContentType);
    }

    private static async Task<IResult> SamplesAsync(
        string name, DatasetImageCache images, ILoggerFactory logs, CancellationToken ct,
        string split = "test", string? start = null, string? count = null, string? seed = null)
    {
        if (Request(name, split, seed) is not { } request)
            return Problem400Or404(name, split, seed);
        if (!TryCount("start", start, 0, int.MaxValue, 0, out var first, out var startProblem))
            return startProblem;
        if (!TryCount("count", count, 1, MaxSamples, DefaultSamples, out var take, out var countProblem))
            return countProblem;
        return await WithImagesAsync(request, images, logs, ct, set =>
        {
            if (first >= set.Count)
                return BadRequest($"start: the {split} part of {name} has {set.Count} images, so start must be below {set.Count}, not {first}.");
            var samples = Enumerable.Range(first, Math.Min(take, set.Count - first))
                .Select(i => new SampleImage(i, (int)set.Labels[i], set.ClassNames[(int)set.Labels[i]],
                    ImageUrl(request.Config.Dataset, request.Part, i, request.Config.Dataset == Dataset.Synthetic ? request.Config.Seed : null)))
                .ToList();
            return TypedResults.Ok(new DatasetSamples(name, split, set.Count, set.ClassNames, samples));
        });
    }

    private static async Task<IResult> ImageAsync(
        string name, string split, string index, DatasetImageCache images, ILoggerFactory logs, HttpResponse response, CancellationToken ct, string? seed = null)
    {
        if (Request(name, split, seed) is not { } request)
            return Problem400Or404(name, split, seed);
        if (!TryCount("index", index, 0, int.MaxValue, 0, out var i, out var problem))
            return problem;
        return await WithImagesAsync(request, images, logs, ct, set => i < set.Count
            ? Png(response, set, i)
            : StoreIdFilter.NotFound($"The {split} part of {name} has {set.Count} images; there is no image {i}."));
    }

    private static async Task<IResult> MostWrongAsync(
        string id, string checkpoint, string rank, SweepStore store, DatasetImageCache images, ILoggerFactory logs, HttpResponse response, CancellationToken ct)
    {
        if (!TryCount("rank", rank, 0, int.MaxValue, 0, out var r, out var problem))
            return problem;
        if (await store.GetTrialAsync(id, ct) is not { } trial)
            return StoreIdFilter.NotFound($"No trial '{id}'.");
        if (trial.Evaluations.FirstOrDefault(e => e.Checkpoint == checkpoint) is not { } evaluation)
            return StoreIdFilter.NotFound($"Trial '{id}' has no test evaluation of a checkpoint '{checkpoint}' (it has: {Listed(trial.Evaluations.Select(e => e.Checkpoint))}).");
        var mostWrong = evaluation.MostWrong ?? [];
        if (r >= mostWrong.Count)
            return StoreIdFilter.NotFound($"Trial '{id}''s '{checkpoint}' evaluation lists {mostWrong.Count} most-wrong test images; there is no rank {r}.");
        var wrong = mostWrong[r];
        return await WithImagesAsync(new ImageRequest(trial.Config, DatasetPart.Test), images, logs, ct, set => wrong.Index < set.Count
            ? Png(response, set, wrong.Index)
            : StoreIdFilter.NotFound($"The test part of {trial.Config.Dataset.ToSpelling()} has {set.Count} images; the record's image {wrong.Index} is not among them."));
    }

    private sealed record ImageRequest(TrainingConfig Config, DatasetPart Part);

    /// <summary>The config whose images are shown: the data set by name; synthetic images also by seed (default 0) at the default size.</summary>
    private static ImageRequest? Request(string name, string split, string? seed)
    {
        if (!Spelling<Dataset>.TryParse(name, out var dataset) || !TryPart(split, out var part))
            return null;
        if (seed is null)
            return new ImageRequest(new TrainingConfig { Dataset = dataset }, part);
        if (dataset != Dataset.Synthetic || !int.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        return new ImageRequest(new TrainingConfig { Dataset = dataset, Seed = value }, part);
    }

    private static IResult Problem400Or404(string name, string split, string? seed)
    {
        if (!Spelling<Dataset>.TryParse(name, out var dataset))
            return StoreIdFilter.NotFound($"No data set '{name}'; the data sets are {Listed(Spelling<Dataset>.Names)}.");
        if (!TryPart(split, out _))
            return BadRequest($"split: must be train or test, not '{split}'.");
        return dataset != Dataset.Synthetic
            ? BadRequest($"seed: only synthetic images depend on a seed; {name} has none.")
            : BadRequest($"seed: must be a whole number from 0, not '{seed}'.");
    }

    private static bool TryPart(string split, out DatasetPart part)
    {
        part = split == "train" ? DatasetPart.Train : DatasetPart.Test;
        return split is "train" or "test";
    }

    private static string Spell(DatasetPart part) => part == DatasetPart.Train ? "train" : "test";

    /// <summary>A whole number in [min, max] from a query or route value (the default when absent), or the problem naming it.</summary>
    private static bool TryCount(string name, string? text, int min, int max, int fallback, out int value, out IResult problem)
    {
        value = fallback;
        problem = null!;
        if (text is null)
            return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        problem = BadRequest(max == int.MaxValue
            ? $"{name}: must be a whole number from {min}, not '{text}'."
            : $"{name}: must be a whole number from {min} to {max}, not '{text}'.");
        return false;
    }

    private static async Task<IResult> WithImagesAsync(
        ImageRequest request, DatasetImageCache images, ILoggerFactory logs, CancellationToken ct, Func<RawImageSet, IResult> answer)
    {
        RawImageSet set;
        try
        {
            set = await images.GetAsync(request.Config, request.Part, ct);
        }
        catch (DataSetUnavailableException missing)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Data set not on disk", detail: missing.Message);
        }
        catch (Exception damaged) when (damaged is InvalidDataException or IOException)
        {
            // The reader's message names server paths: it goes to the log, the caller gets what to do.
            var name = request.Config.Dataset.ToSpelling();
            LogUnreadable(logs.CreateLogger(typeof(DatasetImagesApi).FullName!), name, damaged);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Data set unreadable",
                detail: $"The {Spell(request.Part)} part of {name} in the data folder cannot be read; the Dashboard's log says which file and why.");
        }
        return answer(set);
    }

    private static IResult Png(HttpResponse response, RawImageSet set, int index)
    {
        // An index names the same image for as long as the data set exists: let the browser keep it.
        response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(PngImage.Of(set, index), PngImage.ContentType);
    }

    private static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    private static string Listed(IEnumerable<string> names) => string.Join(", ", names) is { Length: > 0 } list ? list : "none";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The data set {Dataset} cannot be read for the Dashboard's images")]
    private static partial void LogUnreadable(ILogger logger, string dataset, Exception exception);
}

/// <summary><c>GET /api/datasets/{name}/samples</c>: images of one part with their class names, each with its PNG's address.</summary>
public sealed record DatasetSamples(string Dataset, string Split, int Images, IReadOnlyList<string> ClassNames, IReadOnlyList<SampleImage> Samples);

/// <summary>One image of a data set part: its index, label, class name and PNG address.</summary>
public sealed record SampleImage(int Index, int Label, string ClassName, string Url);
