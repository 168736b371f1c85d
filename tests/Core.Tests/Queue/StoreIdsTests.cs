using Experiments.Core.Queue;

namespace Experiments.Core.Tests.Queue;

public sealed class StoreIdsTests
{
    [Fact]
    public void NewIdsAndTheirTrialIdsHaveTheCheckedFormat()
    {
        for (var i = 0; i < 200; i++)
        {
            var sweepId = StoreIds.NewSweepId();
            Assert.True(StoreIds.IsSweepId(sweepId), sweepId);
            Assert.False(StoreIds.IsTrialId(sweepId), sweepId);
            var trialId = StoreIds.TrialId(sweepId, i * 50);
            Assert.True(StoreIds.IsTrialId(trialId), trialId);
            Assert.False(StoreIds.IsSweepId(trialId), trialId);
            Assert.True(StoreIds.TryGetSweepId(trialId, out var parent));
            Assert.Equal(sweepId, parent);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("sw-")]
    [InlineData("sw-abcdefghijk")]
    [InlineData("sw-abcdefghijklm")]
    [InlineData("sw-abcdefghijk1")]
    [InlineData("sw-ABCDEFGHIJKL")]
    [InlineData("tr-abcdefghijkl")]
    [InlineData("sw-abcdefghijkl:x")]
    [InlineData("sw-abcdefghijkl ")]
    public void MalformedSweepIdsAreRefused(string id) => Assert.False(StoreIds.IsSweepId(id));

    [Theory]
    [InlineData("sw-abcdefghijkl-0000:attempts")]
    [InlineData("sw-abcdefghijkl-0000:epochs")]
    [InlineData("sw-abcdefghijkl-000")]
    [InlineData("sw-abcdefghijkl-0000000000")]
    [InlineData("sw-abcdefghijkl-00a0")]
    [InlineData("sw-abcdefghijkl--001")]
    [InlineData("sw-abcdefghijkl_0001")]
    [InlineData("sw-abcdefghijk-0001")]
    [InlineData("sw-abcdefghijkl-+001")]
    [InlineData("sw-abcdefghijkl-٠٠٠١")]
    [InlineData("s1-t0")]
    public void MalformedTrialIdsAreRefused(string id)
    {
        Assert.False(StoreIds.IsTrialId(id));
        Assert.False(StoreIds.TryGetSweepId(id, out _));
    }

    [Fact]
    public void KeysAreNeverBuiltFromAMalformedId()
    {
        var keys = new StoreKeys("exp:");

        Assert.Throws<ArgumentException>(() => keys.Trial("sw-abcdefghijkl-0000:attempts"));
        Assert.Throws<ArgumentException>(() => keys.Epochs("sw-abcdefghijkl-0000:x"));
        Assert.Throws<ArgumentException>(() => keys.Sweep("sw-abcdefghijkl:y"));
        Assert.Equal("exp:trial:sw-abcdefghijkl-0000:attempts", (string?)keys.Attempts("sw-abcdefghijkl-0000"));
    }
}
