using Microsoft.Extensions.Options;

namespace Experiments.Core.Datasets.Files;

/// <summary>Rejects a <c>Data</c> section the loaders could not use, at start rather than at the first trial.</summary>
public sealed class DataOptionsValidation : IValidateOptions<DataOptions>
{
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Root))
            failures.Add("Data:Root must name a folder.");
        if (options.Cifar10Url is { } cifar && !IsHttp(cifar))
            failures.Add($"Data:Cifar10Url must be an absolute http(s) address, not '{cifar}'.");
        if (options.FashionMnistBaseUrl is { } fashion && !IsHttp(fashion))
            failures.Add($"Data:FashionMnistBaseUrl must be an absolute http(s) address, not '{fashion}'.");
        if (options.FashionMnistSystemFolders.Any(string.IsNullOrWhiteSpace))
            failures.Add("Data:FashionMnistSystemFolders must not hold empty entries.");
        if (options.DownloadStallTimeout <= TimeSpan.Zero)
            failures.Add("Data:DownloadStallTimeout must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttp(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
