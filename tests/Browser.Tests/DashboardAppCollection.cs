namespace Experiments.Browser.Tests;

/// <summary>Every browser test shares one running app: starting it takes most of a test's time.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardAppCollection : ICollectionFixture<DashboardAppFixture>
{
    public const string Name = "Dashboard app";
}
