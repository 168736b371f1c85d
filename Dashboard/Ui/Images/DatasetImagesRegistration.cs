using Experiments.Core.Datasets;
using Experiments.Core.Datasets.Files;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Ui.Images;

/// <summary>The data folder the workers fill (<c>Data:Root</c>, read-only here) and the images cache over it.</summary>
public static class DatasetImagesRegistration
{
    public static IHostApplicationBuilder AddDatasetImages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DataOptions>()
            .Bind(builder.Configuration.GetSection(DataOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DataOptions>, DataOptionsValidation>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<DatasetImageCache>();
        return builder;
    }
}
