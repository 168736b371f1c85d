namespace Experiments.Core.Datasets.Files;

/// <summary>A data set is neither on disk nor downloadable; the message says which file to put where.</summary>
public sealed class DataSetUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
