using System.Security.Claims;
using Experiments.Dashboard.Security;
using Experiments.Dashboard.Ui.Checkpoints;
using Experiments.Dashboard.Ui.Links;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Experiments.Dashboard.Tests;

public sealed class SecurityTests
{
    [Fact]
    public void OnlyTheConfiguredTokenSignsIn()
    {
        var (sessions, _, _) = Sessions("0123456789abcdef0123");

        Assert.True(sessions.Matches("0123456789abcdef0123"));
        Assert.False(sessions.Matches("0123456789abcdef012"));
        Assert.False(sessions.Matches(""));
        Assert.False(sessions.Matches(null));
    }

    [Fact]
    public void ASessionCarriesAHashOfTheTokenNeverTheToken()
    {
        var (sessions, _, _) = Sessions("0123456789abcdef0123");

        var principal = sessions.Start();

        Assert.DoesNotContain(principal.Claims, c => c.Value.Contains("0123456789abcdef0123", StringComparison.Ordinal));
        Assert.True(sessions.IsCurrent(principal));
    }

    [Fact]
    public void ANewTokenEndsEverySessionStartedWithTheOldOne()
    {
        var (sessions, options, _) = Sessions("0123456789abcdef0123");
        var principal = sessions.Start();

        options.Change(new DashboardOptions { BrowserToken = "another-token-0123456789" });

        Assert.False(sessions.IsCurrent(principal));
        Assert.True(sessions.IsCurrent(sessions.Start()));
    }

    [Fact]
    public void ASessionEndsAtItsMaximumLifetimeHoweverActive()
    {
        var (sessions, _, time) = Sessions("0123456789abcdef0123");
        var principal = sessions.Start();

        time.Advance(new DashboardOptions().SessionMaxLifetime - TimeSpan.FromSeconds(1));
        Assert.True(sessions.IsCurrent(principal));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(sessions.IsCurrent(principal));
    }

    [Fact]
    public void AnAnonymousOrForeignPrincipalIsNoSession()
    {
        var (sessions, _, _) = Sessions("0123456789abcdef0123");

        Assert.False(sessions.IsCurrent(null));
        Assert.False(sessions.IsCurrent(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.False(sessions.IsCurrent(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard-user")], "Cookies"))));
    }

    [Fact]
    public void StartRefusesAMissingOrShortTokenAndATemplateWithoutTraceId()
    {
        var validate = new ValidateDashboardOptions();

        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "" }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "short" }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "0123456789abcdef", TraceUrlTemplate = "http://x/traces" }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "0123456789abcdef", TraceUrlTemplate = "http://x/{traceId}" }).Succeeded);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "0123456789abcdef", SessionIdleTimeout = TimeSpan.FromSeconds(5) }).Failed);
        Assert.True(validate.Validate(null, new DashboardOptions { BrowserToken = "0123456789abcdef", SessionMaxLifetime = TimeSpan.FromHours(1) }).Failed);
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

    private static (DashboardSessions Sessions, MutableOptions Options, FakeTimeProvider Time) Sessions(string token)
    {
        var options = new MutableOptions(new DashboardOptions { BrowserToken = token });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        return (new DashboardSessions(options, time), options, time);
    }

    /// <summary>Options whose value the test changes, as a configuration reload would.</summary>
    private sealed class MutableOptions(DashboardOptions value) : IOptionsMonitor<DashboardOptions>
    {
        public DashboardOptions CurrentValue { get; private set; } = value;

        public void Change(DashboardOptions next) => CurrentValue = next;

        public DashboardOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<DashboardOptions, string?> listener) => null;
    }
}
