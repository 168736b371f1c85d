using Microsoft.Extensions.Hosting;

namespace Experiments.Dashboard.Tests;

/// <summary>Every service's spans are exported with retries of transient failures, unless its settings say otherwise.</summary>
public sealed class TelemetryExportTests
{
    private const string RetryKey = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

    [Fact]
    public void ExportsToACollectorAreRetriedInMemoryByDefault()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317";

        builder.ConfigureOpenTelemetry();

        Assert.Equal("in_memory", builder.Configuration[RetryKey]);
    }

    [Fact]
    public void AnExplicitRetrySettingIsKept()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317";
        builder.Configuration[RetryKey] = "disk";

        builder.ConfigureOpenTelemetry();

        Assert.Equal("disk", builder.Configuration[RetryKey]);
    }
}
