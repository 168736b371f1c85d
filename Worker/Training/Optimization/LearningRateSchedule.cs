using Experiments.Core.Specs;

namespace Experiments.Worker.Training.Optimization;

/// <summary>
/// The learning rate as a pure function of the optimizer step (0-based), so a schedule's whole state is the step
/// count and a resumed run continues exactly. Linear warmup (warmup_epochs) runs in front of any schedule; the
/// schedule then spans the remaining steps.
/// </summary>
public sealed record LearningRateSchedule(Scheduler Kind, double BaseLr, long StepsPerEpoch, int Epochs, int WarmupEpochs, int StepSize, double Gamma)
{
    // torch.optim.lr_scheduler.OneCycleLR defaults.
    private const double OneCyclePctStart = 0.3;
    private const double OneCycleDivFactor = 25;
    private const double OneCycleFinalDivFactor = 1e4;

    public static LearningRateSchedule FromConfig(TrainingConfig config, long stepsPerEpoch) =>
        new(config.Scheduler, config.Lr, stepsPerEpoch, config.Epochs, config.WarmupEpochs, config.StepSize, config.Gamma);

    public long TotalSteps => StepsPerEpoch * Epochs;
    private long WarmupSteps => Math.Min(StepsPerEpoch * WarmupEpochs, TotalSteps);

    public double At(long step)
    {
        if (step < WarmupSteps)
            return BaseLr * (step + 1) / WarmupSteps;

        long t = step - WarmupSteps;
        long span = Math.Max(1, TotalSteps - WarmupSteps);
        return Kind switch
        {
            Scheduler.None => BaseLr,
            Scheduler.Step => BaseLr * Math.Pow(Gamma, t / (StepSize * StepsPerEpoch)),
            Scheduler.Cosine => BaseLr * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(t, span) / span)),
            Scheduler.OneCycle => OneCycle(t, span),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "not a scheduler"),
        };
    }

    // Cosine up from max/25 to max over the first 30%, then cosine down to max/25/1e4 (PyTorch's phase ends).
    private double OneCycle(long t, long span)
    {
        double initial = BaseLr / OneCycleDivFactor;
        double final = initial / OneCycleFinalDivFactor;
        double upEnd = OneCyclePctStart * span - 1;
        double downEnd = span - 1;
        if (t <= upEnd)
            return Anneal(initial, BaseLr, upEnd <= 0 ? 1 : t / upEnd);
        return Anneal(BaseLr, final, downEnd - upEnd <= 0 ? 1 : Math.Min(1, (t - upEnd) / (downEnd - upEnd)));
    }

    private static double Anneal(double start, double end, double fraction) =>
        end + (start - end) / 2 * (1 + Math.Cos(Math.PI * fraction));
}
