using System.Text.Json;
using Experiments.Worker.Tests.Peers;
using Experiments.Worker.Training.Evaluation;

namespace Experiments.Worker.Tests.Evaluation;

/// <summary>Precision, recall and F1 as Debian's scikit-learn computes them, on fixed confusion matrices.</summary>
public sealed class ClassificationReportTests
{
    // Rows = true class, columns = predicted. Each matrix has a case scikit-learn treats specially.
    private static readonly long[][,] Matrices =
    [
        // An ordinary three-class matrix.
        new long[,] { { 50, 3, 7 }, { 4, 40, 6 }, { 10, 2, 28 } },
        // Class 2 is never predicted: its precision is 0/0, counted as 0.
        new long[,] { { 9, 1, 0 }, { 2, 8, 0 }, { 3, 4, 0 } },
        // Class 1 occurs neither as truth nor as prediction: scikit-learn leaves it out of the macro averages.
        new long[,] { { 5, 0, 2, 1 }, { 0, 0, 0, 0 }, { 1, 0, 6, 0 }, { 0, 0, 3, 4 } },
        // A ten-class matrix like a CIFAR-10 test set's, from a fixed seed.
        TenClasses(),
    ];

    [SkippableFact]
    public void PrecisionRecallAndF1MatchScikitLearn()
    {
        TorchPeer.SkipUnlessAvailable();
        string input = Path.Combine(Path.GetTempPath(), $"confusion-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(input, JsonSerializer.Serialize(Matrices.Select(ToJagged)));
            using var expected = JsonDocument.Parse(TorchPeer.Run("sklearn_report.py", input));
            for (int m = 0; m < Matrices.Length; m++)
            {
                var matrix = Matrices[m];
                int k = matrix.GetLength(0);
                var names = Enumerable.Range(0, k).Select(i => $"class {i}").ToList();
                var report = ClassificationReport.Create("best", 3, 0.5, matrix, names);
                var sk = expected.RootElement[m];

                for (int c = 0; c < k; c++)
                {
                    Assert.Equal(sk.GetProperty("precision")[c].GetDouble(), report.PerClass[c].Precision, 12);
                    Assert.Equal(sk.GetProperty("recall")[c].GetDouble(), report.PerClass[c].Recall, 12);
                    Assert.Equal(sk.GetProperty("f1")[c].GetDouble(), report.PerClass[c].F1, 12);
                    Assert.Equal(sk.GetProperty("support")[c].GetInt32(), report.PerClass[c].Support);
                }
                Assert.Equal(sk.GetProperty("macro_precision").GetDouble(), report.MacroPrecision, 12);
                Assert.Equal(sk.GetProperty("macro_recall").GetDouble(), report.MacroRecall, 12);
                Assert.Equal(sk.GetProperty("macro_f1").GetDouble(), report.MacroF1, 12);
                Assert.Equal(sk.GetProperty("accuracy").GetDouble(), report.Accuracy, 12);
            }
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Fact]
    public void AClassAbsentFromTruthAndPredictionsDoesNotDragTheMacroAverageDown()
    {
        var report = ClassificationReport.Create("last", 1, 0.1, new long[,] { { 3, 0 }, { 0, 0 } }, ["cat", "dog"]);

        Assert.Equal(1.0, report.MacroPrecision);
        Assert.Equal(1.0, report.MacroF1);
        Assert.Equal(0.0, report.PerClass[1].F1);
    }

    private static long[,] TenClasses()
    {
        var random = new Random(11);
        var matrix = new long[10, 10];
        for (int t = 0; t < 10; t++)
        {
            for (int p = 0; p < 10; p++)
                matrix[t, p] = t == p ? random.Next(500, 900) : random.Next(0, 60);
        }
        return matrix;
    }

    private static long[][] ToJagged(long[,] matrix) =>
        [.. Enumerable.Range(0, matrix.GetLength(0)).Select(r => Enumerable.Range(0, matrix.GetLength(1)).Select(c => matrix[r, c]).ToArray())];
}
