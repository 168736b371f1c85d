using System.Globalization;

namespace Experiments.Core.Specs;

/// <summary>Reads typed values out of nodes, reporting a type mismatch at the node's path instead of throwing.</summary>
internal static class SpecScalars
{
    public static bool TryNumber(SpecNode node, string path, SpecErrorList errors, out double value)
    {
        value = 0;
        if (node is not SpecScalar { Kind: ScalarKind.Number } scalar)
        {
            errors.Add(path, $"must be a number, got {node.Describe()}");
            return false;
        }

        if (!double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            errors.Add(path, "must be a finite number");
            return false;
        }

        value += 0.0; // -0 and 0 are the same setting; keep one spelling of it.
        return true;
    }

    /// <summary>A whole number within <paramref name="range"/> (<c>64.0</c> and <c>1e2</c> count as whole).</summary>
    public static bool TryInteger(SpecNode node, string path, NumericRange range, SpecErrorList errors, out int value)
    {
        value = 0;
        if (!TryNumber(node, path, errors, out var number))
        {
            return false;
        }

        if (Math.Floor(number) != number)
        {
            errors.Add(path, "must be a whole number");
            return false;
        }

        if (!range.Contains(number))
        {
            errors.Add(path, range.Describe());
            return false;
        }

        value = (int)number;
        return true;
    }

    public static bool TryString(SpecNode node, string path, SpecErrorList errors, out string value)
    {
        value = string.Empty;
        if (node is not SpecScalar { Kind: ScalarKind.String } scalar)
        {
            errors.Add(path, $"must be a string, got {node.Describe()}");
            return false;
        }

        value = scalar.Text;
        return true;
    }

    public static bool TryBoolean(SpecNode node, string path, SpecErrorList errors, out bool value)
    {
        value = false;
        if (node is not SpecScalar { Kind: ScalarKind.Boolean } scalar)
        {
            errors.Add(path, $"must be true or false, got {node.Describe()}");
            return false;
        }

        value = scalar.Text == "true";
        return true;
    }

    /// <summary>A string from a fixed set; the message lists the set.</summary>
    public static bool TryChoice(SpecNode node, string path, IReadOnlyList<string> choices, SpecErrorList errors, out string value)
    {
        if (!TryString(node, path, errors, out value))
        {
            return false;
        }

        if (choices.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }

        errors.Add(path, $"must be one of {string.Join(", ", choices)}");
        return false;
    }

    public static bool IsNull(SpecNode node) => node is SpecScalar { Kind: ScalarKind.Null };
}
