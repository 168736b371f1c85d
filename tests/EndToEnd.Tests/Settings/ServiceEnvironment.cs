using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Experiments.EndToEnd.Tests.Settings;

/// <summary>
/// What the AppHost gives each service as environment variables, read from its application model without starting
/// anything. Values that only exist once the app runs (allocated ports, hence the store's connection string) are
/// replaced by a placeholder.
/// </summary>
internal static class ServiceEnvironment
{
    public const string UnresolvedPlaceholder = "placeholder-resolved-at-run-time";

    public static async Task<DistributedApplication> BuildAppHostAsync(params string[] arguments)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Store:DataDirectory={Path.GetTempPath()}experiments-settings-test", .. arguments]);
        NeverStarted(builder);
        return await builder.BuildAsync();
    }

    /// <summary>
    /// For an app that is built and read, never started: nothing runs, so nothing needs the host's 30 s shutdown
    /// timeout. Disposing such an app while another test class builds or runs one took exactly that long, every time.
    /// </summary>
    public static void NeverStarted(IDistributedApplicationTestingBuilder builder) =>
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));

    public static async Task<IReadOnlyDictionary<string, string>> OfAsync(DistributedApplication app, string resourceName)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var resource = model.Resources.Single(r => r.Name == resourceName);
        var execution = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(execution, resource, values, CancellationToken.None);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var text = await ResolveAsync(value);
            // A DCP template ({{- portForServing ... -}}) is filled in only when the process starts.
            resolved[name] = text.Contains("{{", StringComparison.Ordinal) ? UnresolvedPlaceholder : text;
        }

        return resolved;
    }

    private static async Task<string> ResolveAsync(object value)
    {
        switch (value)
        {
            case string text:
                return text;
            case IValueProvider provider:
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    return await provider.GetValueAsync(timeout.Token) ?? "";
                }
                catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
                {
                    // An endpoint is allocated only when the app starts.
                    return UnresolvedPlaceholder;
                }

            default:
                return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
    }
}
