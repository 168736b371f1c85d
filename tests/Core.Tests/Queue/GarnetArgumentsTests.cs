using Experiments.GarnetStore;

namespace Experiments.Core.Tests.Queue;

public sealed class GarnetArgumentsTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["STORE_PASSWORD"] = "secret",
        ["STORE_PORT"] = "7100",
    };

    [Fact]
    public void RefusesToStartWithoutAPassword()
    {
        var error = Assert.Throws<StoreConfigurationException>(() => GarnetArguments.Parse([], _ => null, "/srv"));
        Assert.Contains("STORE_PASSWORD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunsDurableTieredPasswordProtectedAndOnLoopbackOnly()
    {
        var arguments = GarnetArguments.Parse([], Environment.GetValueOrDefault, "/srv/app").ToGarnetArgs();

        Assert.Equal("127.0.0.1", ValueOf(arguments, "--bind"));
        Assert.Equal("7100", ValueOf(arguments, "--port"));
        Assert.Equal("Password", ValueOf(arguments, "--auth"));
        Assert.Equal("secret", ValueOf(arguments, "--password"));
        Assert.Equal("RandomAccess", ValueOf(arguments, "--device-type"));
        Assert.Equal("/srv/app/.data/garnet/log", ValueOf(arguments, "--logdir"));
        Assert.Equal("/srv/app/.data/garnet/checkpoints", ValueOf(arguments, "--checkpointdir"));
        foreach (var flag in new[] { "--lua", "--lua-transaction-mode", "--aof", "--aof-commit-wait", "--recover", "--storage-tier" })
        {
            Assert.Contains(flag, arguments);
        }
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void ListensOnANetworkAddressOnlyWhenAskedAndStillBehindThePassword(string address)
    {
        var environment = new Dictionary<string, string>(Environment) { ["STORE_PASSWORD"] = "a-password-of-24-chars!!", ["STORE_BIND"] = address };

        var fromEnvironment = GarnetArguments.Parse([], environment.GetValueOrDefault, "/srv");
        environment.Remove("STORE_BIND");
        var fromCommandLine = GarnetArguments.Parse(["--bind", address], environment.GetValueOrDefault, "/srv");

        Assert.True(fromEnvironment.ListensBeyondLoopback);
        Assert.Equal(System.Net.IPAddress.Parse(address).ToString(), ValueOf(fromEnvironment.ToGarnetArgs(), "--bind"));
        Assert.Equal(System.Net.IPAddress.Parse(address).ToString(), ValueOf(fromCommandLine.ToGarnetArgs(), "--bind"));
        Assert.Equal("Password", ValueOf(fromEnvironment.ToGarnetArgs(), "--auth"));
        Assert.Equal("a-password-of-24-chars!!", ValueOf(fromEnvironment.ToGarnetArgs(), "--password"));
    }

    [Fact]
    public void RefusesANetworkAddressWithoutAPasswordNamingTheAddress()
    {
        var error = Assert.Throws<StoreConfigurationException>(() => GarnetArguments.Parse(["--bind", "10.0.0.5"], _ => null, "/srv"));

        Assert.Contains("STORE_PASSWORD is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.5", error.Message, StringComparison.Ordinal);
        Assert.Contains("other machines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesANetworkAddressWithAShortPasswordButLoopbackAcceptsIt()
    {
        var error = Assert.Throws<StoreConfigurationException>(() => GarnetArguments.Parse(["--bind", "0.0.0.0"], Environment.GetValueOrDefault, "/srv"));

        Assert.Contains($"at least {GarnetArguments.MinNetworkPasswordLength} characters", error.Message, StringComparison.Ordinal);
        Assert.False(GarnetArguments.Parse(["--bind", "::1"], Environment.GetValueOrDefault, "/srv").ListensBeyondLoopback);
        Assert.False(GarnetArguments.Parse(["--bind", "127.0.0.1"], Environment.GetValueOrDefault, "/srv").ListensBeyondLoopback);
    }

    [Theory]
    [InlineData("store.example.com")]
    [InlineData("10.0.0")]
    public void RejectsABindAddressThatIsNotAnIpAddress(string address)
    {
        var error = Assert.Throws<StoreConfigurationException>(() => GarnetArguments.Parse(["--bind", address], Environment.GetValueOrDefault, "/srv"));

        Assert.Contains($"'{address}' is not an IP address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--auth", "NoAuth")]
    [InlineData("--password", "other")]
    public void RefusesGarnetFlagsThatWouldUndoThePassword(string flag, string value)
    {
        var error = Assert.Throws<StoreConfigurationException>(() => GarnetArguments.Parse([flag, value], Environment.GetValueOrDefault, "/srv"));

        Assert.Contains($"'{flag}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompactsTheLogByCheckpointsUnlessTheCommandLineSaysOtherwise()
    {
        var defaults = GarnetArguments.Parse([], Environment.GetValueOrDefault, "/srv").ToGarnetArgs();
        var overridden = GarnetArguments.Parse(["--checkpoint-freq", "5"], Environment.GetValueOrDefault, "/srv").ToGarnetArgs();

        Assert.Equal("600", ValueOf(defaults, "--checkpoint-freq"));
        Assert.Equal("64m", ValueOf(defaults, "--aof-size-limit"));
        Assert.Equal("32m", ValueOf(defaults, "--aof-segment-size"));
        Assert.Equal("1", ValueOf(defaults, "--aof-size-limit-enforce-frequency"));
        Assert.Equal("5", ValueOf(overridden, "--checkpoint-freq"));
        Assert.Single(overridden, a => a == "--checkpoint-freq");
        Assert.Equal("64m", ValueOf(overridden, "--aof-size-limit"));
    }

    [Fact]
    public void PortOnTheCommandLineWinsAndOtherArgumentsPassThrough()
    {
        var parsed = GarnetArguments.Parse(["--port", "7200", "--memory", "1g"], Environment.GetValueOrDefault, "/srv");

        Assert.Equal(7200, parsed.Port);
        Assert.Equal(["--memory", "1g"], parsed.ExtraArguments);
        Assert.Equal("1g", ValueOf(parsed.ToGarnetArgs(), "--memory"));
    }

    [Fact]
    public void DataDirectoryComesFromTheEnvironment()
    {
        var environment = new Dictionary<string, string>(Environment) { ["STORE_DATA_DIR"] = "/var/lib/store" };

        var parsed = GarnetArguments.Parse([], environment.GetValueOrDefault, "/srv");

        Assert.Equal("/var/lib/store", parsed.DataDirectory);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("redis")]
    public void RejectsAPortThatIsNotATcpPort(string port)
    {
        Assert.Throws<StoreConfigurationException>(() => GarnetArguments.Parse(["--port", port], Environment.GetValueOrDefault, "/srv"));
    }

    [Fact]
    public void ADataDirectoryOnTheCommandLineIsRelativeToWhereTheStoreWasStarted()
    {
        var environment = new Dictionary<string, string>(Environment) { ["STORE_DATA_DIR"] = "/var/lib/store" };

        var parsed = GarnetArguments.Parse(["--data-dir", "state/garnet"], environment.GetValueOrDefault, "/srv");

        Assert.Equal("/srv/state/garnet", parsed.DataDirectory);
    }

    [Theory]
    [InlineData(new[] { "--help" }, 0, "--data-dir")]
    [InlineData(new[] { "--port", "redis" }, 2, "The store port 'redis' is not a TCP port (1-65535).")]
    [InlineData(new[] { "--bind", "10.0.0.5" }, 2, "STORE_PASSWORD has 6 characters but the store would listen on 10.0.0.5, reachable from other machines: such a store needs a password of at least 16 characters.")]
    public async Task TheStoreHostAnswersHelpAndBadValuesInOneLine(string[] args, int exitCode, string expected)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Experiments.GarnetStore.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["STORE_PASSWORD"] = "secret";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(exitCode, process.ExitCode);
        if (exitCode == 0)
        {
            Assert.Contains(expected, await output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal($"Experiments.GarnetStore: {expected}", (await error).Trim());
        }
    }

    private static string ValueOf(string[] arguments, string flag) => arguments[Array.IndexOf(arguments, flag) + 1];
}
