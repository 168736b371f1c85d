using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Experiments.Core.CommandLine;

/// <summary>Options whose bad values are refused at parse time with a message naming the option and what it takes.</summary>
public static class CommandLineOptions
{
    /// <summary>A file that must exist, resolved against the working directory; the error shows where it was looked for.</summary>
    public static Option<FileInfo> ExistingFile(string name, string description)
    {
        var option = new Option<FileInfo>(name) { Description = description, HelpName = "file" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { Exists: false } file)
            {
                result.AddError($"{name}: no file at {file.FullName}");
            }
        });
        return option;
    }

    /// <summary>A folder (created when needed), resolved against the working directory.</summary>
    public static Option<DirectoryInfo> Folder(string name, string description, string? fallback = null)
    {
        var option = new Option<DirectoryInfo>(name) { Description = description, HelpName = "folder" };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => new DirectoryInfo(fallback);
        }

        return option;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> Integer(string name, string description, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        Parsed(name, description, fallback, text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? (true, value) : (false, 0),
            max == int.MaxValue ? $"a whole number >= {min}" : $"a whole number from {min} to {max}");

    /// <summary>An optional value read by <paramref name="parse"/>; the error names the option and <paramref name="expected"/>.</summary>
    public static Option<T?> Optional<T>(string name, string description, Func<string, (bool Ok, T Value)> parse, string expected)
        where T : struct
    {
        var option = new Option<T?>(name) { Description = $"{description} ({expected})" };
        option.CustomParser = result => Read(result, name, parse, expected) is (true, var value) ? value : null;
        return option;
    }

    private static Option<T> Parsed<T>(string name, string description, T fallback, Func<string, (bool Ok, T Value)> parse, string expected)
    {
        var option = new Option<T>(name) { Description = $"{description} ({expected})", DefaultValueFactory = _ => fallback };
        option.CustomParser = result => Read(result, name, parse, expected) is (true, var value) ? value : fallback;
        return option;
    }

    private static (bool Ok, T Value) Read<T>(ArgumentResult result, string name, Func<string, (bool Ok, T Value)> parse, string expected)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var parsed = parse(text);
        if (!parsed.Ok)
        {
            result.AddError($"{name}: '{text}' is not {expected}");
        }

        return parsed;
    }
}
