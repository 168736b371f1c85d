using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.EndToEnd.Tests.Settings;

/// <summary>
/// A service's host built from given configuration exactly as its Program builds it (never started), and what its
/// options classes read from that configuration. Options classes are found in the host's own registrations (every
/// one bound from configuration), and each names its section in <c>SectionName</c>, as all of ours do.
/// </summary>
internal sealed class ServiceOptions : IDisposable
{
    private readonly IHost _host;

    public ServiceOptions(IHostApplicationBuilder builder, IHost host)
    {
        _host = host;
        OptionTypes = [.. builder.Services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => SectionOf(t) is not null)
            .Distinct()];
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The options classes this service binds from configuration.</summary>
    public IReadOnlyList<Type> OptionTypes { get; }

    /// <summary>
    /// Which option property <paramref name="key"/> (<c>Section:Property</c>) sets in this service, and the value the
    /// service ended up with; null when no option of this service reads the key.
    /// </summary>
    public (PropertyInfo Property, object? Value)? Read(string key)
    {
        var parts = key.Split(':');
        if (parts.Length != 2)
        {
            return null;
        }

        foreach (var type in OptionTypes.Where(t => string.Equals(SectionOf(t), parts[0], StringComparison.OrdinalIgnoreCase)))
        {
            var property = type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is { CanWrite: true })
            {
                var options = _host.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
                var value = options.GetType().GetProperty("Value")!.GetValue(options);
                return (property, property.GetValue(value));
            }
        }

        return null;
    }

    /// <summary>True when the configured text is the value the service read (compared as the property's type).</summary>
    public static bool Same(PropertyInfo property, object? read, string configured)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var expected = type == typeof(string) ? configured : TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, configured);
        return Equals(expected, read);
    }

    public void Dispose() => _host.Dispose();

    private static string? SectionOf(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
}
