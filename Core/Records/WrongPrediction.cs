namespace Experiments.Core.Records;

/// <summary>
/// A test image the evaluated checkpoint got wrong, among those with the highest loss: where it is in the data set's
/// test part (the Dashboard shows the image by this index, resolving the data set from the trial's own config), its
/// true and predicted class, the probability the model gave its prediction, and the image's cross-entropy.
/// </summary>
public sealed record WrongPrediction(int Index, int Label, string TrueClass, int Predicted, string PredictedClass, double Confidence, double Loss);
