using Experiments.Core.Records;

namespace Experiments.Worker.Training.Evaluation;

/// <summary>Builds an <see cref="EvaluationReport"/> from a confusion matrix (rows = true class, columns = predicted).</summary>
public static class ClassificationReport
{
    public static EvaluationReport Create(string checkpoint, int epoch, double loss, long[,] confusion, IReadOnlyList<string> classNames)
    {
        int k = classNames.Count;
        long total = 0, correct = 0;
        var perClass = new List<ClassMetrics>(k);
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
            perClass.Add(new ClassMetrics(classNames[c], precision, recall, f1, (int)actual));
        }

        var matrix = Enumerable.Range(0, k)
            .Select(r => (IReadOnlyList<int>)[.. Enumerable.Range(0, k).Select(c => (int)confusion[r, c])])
            .ToList();
        return new EvaluationReport(
            checkpoint,
            epoch,
            loss,
            total == 0 ? 0 : (double)correct / total,
            perClass.Average(m => m.Precision),
            perClass.Average(m => m.Recall),
            perClass.Average(m => m.F1),
            perClass,
            matrix);
    }
}
