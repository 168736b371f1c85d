namespace Experiments.AppHost.Store;

/// <summary>How the AppHost provides the Redis-compatible store (<c>Store:Mode</c>); all speak one protocol.</summary>
public enum StoreMode
{
    /// <summary>Microsoft Garnet hosted in the GarnetStore project: needs nothing but the .NET SDK.</summary>
    Embedded,

    /// <summary>A local <c>redis-server</c> binary (e.g. Debian's) run as an executable resource.</summary>
    RedisServer,

    /// <summary>The Redis container image, for machines with Docker or Podman.</summary>
    Container,

    /// <summary>An existing Redis given as <c>ConnectionStrings:store</c>, shared by workers on many machines.</summary>
    External,
}
