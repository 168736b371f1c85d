namespace Experiments.GarnetStore;

/// <summary>The store's configuration is missing or invalid; the message says what to set.</summary>
public sealed class StoreConfigurationException(string message) : Exception(message);
