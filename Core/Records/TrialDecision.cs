namespace Experiments.Core.Records;

/// <summary>
/// One early-termination decision recorded for a trial's epoch, as the API and pages show it: the numbers the rule
/// compared and the reason people read (<c>rung 0 (epoch 1): val_loss 2.31 not in top 1/3 of 4 results (1 continue, cut 2.05)</c>).
/// </summary>
/// <param name="Verdict"><c>continue</c> or <c>prune</c>.</param>
/// <param name="Basis"><c>rung</c>, <c>median</c>, <c>startup</c>, <c>nopeers</c>, <c>complete</c> or <c>notfinite</c>.</param>
/// <param name="Value">Rung: the trial's value there. Median: its best value so far.</param>
/// <param name="Count">Rung: results at the rung, this one included. Median: completed trials compared with.</param>
/// <param name="Kept">Rung: how many of them may continue.</param>
/// <param name="Cut">Rung: the worst value that still continues. Median: the median. Null when nothing was compared.</param>
public sealed record TrialDecision(
    int Epoch,
    string Verdict,
    string Basis,
    int? Bracket,
    int? Rung,
    double? Value,
    int Count,
    int Kept,
    double? Cut,
    string Reason)
{
    public bool IsPrune => Verdict == "prune";
}
