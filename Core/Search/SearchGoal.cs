namespace Experiments.Core.Search;

/// <summary>Whether a sweep's metric is better when larger (<c>val_accuracy</c>) or smaller (<c>val_loss</c>).</summary>
internal enum SearchGoal
{
    Maximize,
    Minimize,
}
