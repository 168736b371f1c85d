using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Experiments.Core.Specs;

/// <summary>
/// How the members of one of the config's closed sets (<see cref="Optimizer"/>, <see cref="Dataset"/> ...) are written:
/// read from each member's <see cref="JsonStringEnumMemberNameAttribute"/>, the same spelling the JSON records use.
/// </summary>
public static class Spelling<T>
    where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> NamesByValue = Enum.GetValues<T>().ToFrozenDictionary(v => v, NameFromAttribute);
    private static readonly FrozenDictionary<string, T> ValuesByName = NamesByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every spelling, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<T>().Select(v => NamesByValue[v])];

    /// <summary>The value spelled exactly <paramref name="text"/> (case matters: <c>Adam</c> is not <c>adam</c>).</summary>
    public static bool TryParse(string text, out T value) => ValuesByName.TryGetValue(text, out value);

    /// <summary>The spelling of a declared member; null for a number that names no member.</summary>
    public static string? NameOf(T value) => NamesByValue.GetValueOrDefault(value);

    private static string NameFromAttribute(T value) =>
        typeof(T).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{value} has no JsonStringEnumMemberName: every choice needs its spelling.");
}

/// <summary>Spellings of any config choice, for display.</summary>
public static class SpellingExtensions
{
    /// <summary>The sweep-file spelling of a choice (<c>crop_flip</c>), never the C# name (<c>CropFlip</c>).</summary>
    public static string ToSpelling<T>(this T value)
        where T : struct, Enum =>
        Spelling<T>.NameOf(value) ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(T).Name}");

    /// <summary>The same for a choice whose type is known only at run time (a boxed value); undeclared numbers show as numbers.</summary>
    public static string ToSpelling(this Enum value) =>
        value.GetType().GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? value.ToString("D");
}
