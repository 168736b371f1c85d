using Experiments.Core.EarlyTermination;
using Experiments.Tests.Shared;

namespace Experiments.Core.Tests.Queue;

public abstract partial class QueueConformanceTests
{
    private static readonly EarlyTerminationSpec Asha = new(EarlyTerminationType.Asha) { MaxEpochs = 3 };

    [SkippableFact]
    public async Task ASweepKeepsItsEarlyTerminationRuleAndASweepWithoutOneHasNone()
    {
        var h = NewHarness();

        var with = await h.Store.SubmitAsync(TestPlans.Create(2) with { EarlyTermination = Asha }, null);
        var without = await h.Store.SubmitAsync(TestPlans.Create(2), null);

        Assert.Equal(Asha, (await h.Store.GetSweepAsync(with.SweepId))!.EarlyTermination);
        Assert.Null((await h.Store.GetSweepAsync(without.SweepId))!.EarlyTermination);
    }
}
