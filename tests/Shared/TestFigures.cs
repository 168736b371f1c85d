namespace Experiments.Tests.Shared;

/// <summary>
/// Figures a test prints for people to read (chaos counts): the test's own output shows only when it fails, so where
/// <c>EXPERIMENTS_TEST_FIGURES</c> names a file (CI sets it) they are also appended there, and CI prints that file.
/// </summary>
public static class TestFigures
{
    public const string Variable = "EXPERIMENTS_TEST_FIGURES";

    private static readonly Lock Gate = new();

    public static void Record(string test, string line)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(path, $"{test}: {line}{Environment.NewLine}");
        }
    }
}
