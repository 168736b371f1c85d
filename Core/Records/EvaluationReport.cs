namespace Experiments.Core.Records;

/// <summary>Test-set evaluation of one checkpoint: the notebook's accuracy plus precision/recall/F1.</summary>
/// <param name="MostWrong">
/// The misclassified test images with the highest loss, highest first (at most a few; empty when none was wrong).
/// Null in records written before it existed.
/// </param>
public sealed record EvaluationReport(
    string Checkpoint,
    int Epoch,
    double Loss,
    double Accuracy,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix,
    IReadOnlyList<WrongPrediction>? MostWrong = null);

/// <summary>Precision, recall and F1 for one class.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support);
