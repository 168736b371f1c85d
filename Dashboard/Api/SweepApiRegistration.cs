using System.Text.Json;
using System.Text.Json.Serialization;
using Experiments.Core.Specs;
using Experiments.Dashboard.Security;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Api;

/// <summary>Registers the HTTP API: options, access, problem details (503 when the store is down), snake_case JSON (as in sweep files).</summary>
public static class SweepApiRegistration
{
    public static IHostApplicationBuilder AddSweepApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>()
            .Bind(builder.Configuration.GetSection(ApiOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ValidateApiOptions>();
        // Caps on trials, epochs and batch size; the section is optional and defaults are the SweepLimits defaults.
        builder.Services.AddSingleton(builder.Configuration.GetSection("Limits").Get<SweepLimits>() ?? new SweepLimits());
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreUnavailableHandler>();
        builder.Services.AddDashboardAccess();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.Converters.Add(new FiniteDoubleJsonConverter());
        });
        return builder;
    }
}
