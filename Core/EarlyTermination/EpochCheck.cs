namespace Experiments.Core.EarlyTermination;

/// <summary>What the rule does with a report at one epoch; fixed by the spec, the trial's bracket and the epoch alone.</summary>
public enum EpochCheckKind
{
    /// <summary>Not checked and nothing kept: not a rung epoch, or a trial's last epoch under ASHA/Hyperband.</summary>
    None,

    /// <summary>Median warm-up: not checked, but the value is kept (for the best so far and the completed pool).</summary>
    KeepValue,

    /// <summary>ASHA/Hyperband rung: compared with the results recorded at this rung.</summary>
    Rung,

    /// <summary>Median: best so far compared with the completed trials' median at this epoch.</summary>
    Median,

    /// <summary>Median, the trial's last epoch: not checked; the trial joins the completed pool.</summary>
    Complete,
}

/// <param name="Bracket">The trial's bracket (ASHA: 0); null for median.</param>
/// <param name="Rung">The rung index within the bracket when <see cref="Kind"/> is <see cref="EpochCheckKind.Rung"/>.</param>
public sealed record EpochCheck(EpochCheckKind Kind, int Epoch, int? Bracket = null, int? Rung = null);
