namespace Experiments.Core.Search;

/// <summary>How a proposal was made.</summary>
internal enum ProposalSource
{
    /// <summary>Too few finished trials for a model: the sample <c>method: random</c> draws at this trial number.</summary>
    Startup,

    /// <summary>The candidate with the best density ratio l(x)/g(x) of the good and the other trials.</summary>
    Model,
}

/// <summary>A proposed configuration: one value per parameter, aligned with <see cref="SearchSpace.Parameters"/>.</summary>
internal sealed record SearchProposal(IReadOnlyList<object?> Values, ProposalSource Source);
