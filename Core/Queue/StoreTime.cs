using System.Globalization;
using StackExchange.Redis;

namespace Experiments.Core.Queue;

/// <summary>Times are kept as Unix milliseconds: comparable in Lua and exact to round-trip.</summary>
internal static class StoreTime
{
    public static string ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public static DateTimeOffset? FromStored(RedisValue value) =>
        value.IsNullOrEmpty ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)value);
}
