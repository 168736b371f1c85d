namespace Experiments.Core.Specs;

/// <summary>Reads one value for a <see cref="TrainingConfigField"/> (from <c>base</c> or a parameter) and checks it.</summary>
internal static class FieldValueReader
{
    public static bool TryRead(TrainingConfigField field, SpecNode node, string path, SweepLimits limits, SpecErrorList errors, out object? value)
    {
        value = null;
        switch (field.Kind)
        {
            case FieldKind.Integer:
                if (!SpecScalars.TryInteger(node, path, field.Range(limits), errors, out var integer))
                {
                    return false;
                }

                value = integer;
                return true;
            case FieldKind.Real:
                if (!TryReal(field, node, path, limits, errors, out var real))
                {
                    return false;
                }

                value = real;
                return true;
            case FieldKind.Boolean:
                if (!SpecScalars.TryBoolean(node, path, errors, out var flag))
                {
                    return false;
                }

                value = flag;
                return true;
            case FieldKind.Identifier when SpecScalars.IsNull(node):
                return true;
            default:
                if (!SpecScalars.TryString(node, path, errors, out var text))
                {
                    return false;
                }

                value = field.Parse(text);
                if (value is null)
                {
                    errors.Add(path, field.Expected);
                    return false;
                }

                return true;
        }
    }

    public static bool TryReal(TrainingConfigField field, SpecNode node, string path, SweepLimits limits, SpecErrorList errors, out double value)
    {
        if (!SpecScalars.TryNumber(node, path, errors, out value))
        {
            return false;
        }

        var range = field.Range(limits);
        if (range.Contains(value))
        {
            return true;
        }

        errors.Add(path, range.Describe());
        return false;
    }
}
