using System.Diagnostics;

namespace Experiments.Core.Tests.Fixtures;

/// <summary>
/// Our GarnetStore exe, exactly as Aspire runs it: copied next to the tests by the project reference, or (for test
/// projects on ASP.NET Core, whose output lacks the store's own dependencies) whole into <c>garnet-store/</c>.
/// </summary>
public sealed class GarnetServerFixture : StoreServer
{
    private static readonly string StoreDll = new[]
    {
        Path.Combine(AppContext.BaseDirectory, "garnet-store", "Experiments.GarnetStore.dll"),
        Path.Combine(AppContext.BaseDirectory, "Experiments.GarnetStore.dll"),
    }.FirstOrDefault(File.Exists) ?? Path.Combine(AppContext.BaseDirectory, "Experiments.GarnetStore.dll");

    private readonly string[] extraArguments;

    public GarnetServerFixture()
        : this([])
    {
    }

    /// <summary>A store of its own for one test (xunit fixtures take the public constructor).</summary>
    /// <param name="extraArguments">More store host arguments, e.g. <c>--checkpoint-freq 1</c> (they override its defaults).</param>
    internal GarnetServerFixture(string[] extraArguments) => this.extraArguments = extraArguments;

    /// <summary>A store of its own listening on <paramref name="address"/> (e.g. a test network's), as <c>--bind</c> asks.</summary>
    internal GarnetServerFixture(System.Net.IPAddress address)
        : this([])
    {
        Address = address;
    }

    public override string Name => "GarnetStore";

    protected override string? FindUnavailableReason() =>
        File.Exists(StoreDll) ? null : $"{StoreDll} is missing: build GarnetStore.";

    protected override ProcessStartInfo CreateStartInfo()
    {
        // The SDK sets DOTNET_HOST_PATH for test runs; it is the dotnet that runs these tests.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var startInfo = new ProcessStartInfo(dotnet)
        {
            ArgumentList = { StoreDll, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", Address.ToString() },
        };
        foreach (var argument in extraArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["STORE_PASSWORD"] = Password;
        startInfo.Environment["STORE_DATA_DIR"] = DataDirectory;
        return startInfo;
    }
}
