namespace Experiments.Worker.Training.Evaluation;

/// <summary>A misclassified image: its index in the evaluated set, true and predicted class, the prediction's probability, its loss.</summary>
public readonly record struct MisclassifiedImage(long Index, int Label, int Predicted, double Confidence, double Loss);
