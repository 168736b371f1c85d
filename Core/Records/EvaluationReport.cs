namespace Experiments.Core.Records;

/// <summary>Test-set evaluation of one checkpoint: the notebook's accuracy plus precision/recall/F1.</summary>
public sealed record EvaluationReport(
    string Checkpoint,
    int Epoch,
    double Loss,
    double Accuracy,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix);

/// <summary>Precision, recall and F1 for one class.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support);
