using Experiments.Dashboard.Security;
using Experiments.Dashboard.Ui.Checkpoints;
using Experiments.Dashboard.Ui.Links;
using Microsoft.Extensions.Options;

namespace Experiments.Dashboard.Tests;

public sealed class SecurityTests
{
    [Fact]
    public void OnlyTheConfiguredTokenSignsIn()
    {
        var check = new BrowserTokenCheck(Options.Create(new DashboardOptions { BrowserToken = "0123456789abcdef0123" }));

        Assert.True(check.Matches("0123456789abcdef0123"));
        Assert.False(check.Matches("0123456789abcdef012"));
        Assert.False(check.Matches(""));
        Assert.False(check.Matches(null));
    }

    [Fact]
    public void StartRefusesAMissingOrShortTokenAndATemplateWithoutTraceId()
    {
        var validate = new ValidateDashboardOptions();

        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "" }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "short" }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "0123456789abcdef", TraceUrlTemplate = "http://x/traces" }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "0123456789abcdef", TraceUrlTemplate = "http://x/{traceId}" }).Succeeded);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../secrets")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:")]
    [InlineData("")]
    [InlineData("best..pt")]
    public void CheckpointDownloadsRefuseAnythingButPlainIds(string value)
    {
        Assert.False(CheckpointEndpoints.IsId(value));
    }

    [Theory]
    [InlineData("best.pt")]
    [InlineData("epoch-0012.ckpt")]
    [InlineData("s1-t42")]
    public void CheckpointDownloadsAcceptPlainIds(string value)
    {
        Assert.True(CheckpointEndpoints.IsId(value));
    }

    [Fact]
    public void TraceIdComesFromTheTrialsTraceparent()
    {
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", TraceLinks.TraceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        Assert.Null(TraceLinks.TraceId("garbage"));
        Assert.Null(TraceLinks.TraceId(null));
    }
}
