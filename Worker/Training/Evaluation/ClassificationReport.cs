using Experiments.Core.Records;

namespace Experiments.Worker.Training.Evaluation;

/// <summary>
/// Builds an <see cref="EvaluationReport"/> from a confusion matrix (rows = true class, columns = predicted), with
/// scikit-learn's definitions (test <c>PrecisionRecallAndF1MatchScikitLearn</c>): 0/0 counts as 0, and the macro
/// averages are over the classes that occur as truth or prediction, so a class the test set lacks changes nothing.
/// </summary>
public static class ClassificationReport
{
    /// <summary>How many misclassified test images an evaluation keeps (the notebook-style grid of its worst mistakes).</summary>
    public const int MostWrongKept = 16;

    public static EvaluationReport Create(
        string checkpoint, int epoch, double loss, long[,] confusion, IReadOnlyList<string> classNames,
        IReadOnlyList<MisclassifiedImage>? mostWrong = null)
    {
        int k = classNames.Count;
        long total = 0, correct = 0;
        var perClass = new List<ClassMetrics>(k);
        var occurring = new List<ClassMetrics>(k);
        for (int c = 0; c < k; c++)
        {
            long truePositive = confusion[c, c], actual = 0, predicted = 0;
            for (int j = 0; j < k; j++)
            {
                actual += confusion[c, j];
                predicted += confusion[j, c];
            }
            total += actual;
            correct += truePositive;
            double precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            double recall = actual == 0 ? 0 : (double)truePositive / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            var metrics = new ClassMetrics(classNames[c], precision, recall, f1, (int)actual);
            perClass.Add(metrics);
            if (actual + predicted > 0)
                occurring.Add(metrics);
        }

        var matrix = Enumerable.Range(0, k)
            .Select(r => (IReadOnlyList<int>)[.. Enumerable.Range(0, k).Select(c => (int)confusion[r, c])])
            .ToList();
        return new EvaluationReport(
            checkpoint,
            epoch,
            loss,
            total == 0 ? 0 : (double)correct / total,
            Macro(occurring, m => m.Precision),
            Macro(occurring, m => m.Recall),
            Macro(occurring, m => m.F1),
            perClass,
            matrix,
            [.. (mostWrong ?? []).Select(w => new WrongPrediction(
                (int)w.Index, w.Label, classNames[w.Label], w.Predicted, classNames[w.Predicted], w.Confidence, w.Loss))]);
    }

    private static double Macro(List<ClassMetrics> classes, Func<ClassMetrics, double> metric) =>
        classes.Count == 0 ? 0 : classes.Average(metric);
}
